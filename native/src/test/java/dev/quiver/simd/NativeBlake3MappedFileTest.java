package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.JavaBlake3Kernel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A real file mapped read-only (how {@code quiver hash} reads files) and read-only heap segments go to native code
 * as they are, and hash as the pure-Java kernel does.
 */
@Timeout(60)
class NativeBlake3MappedFileTest {

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void readOnlyMappedFileAndReadOnlyHeapSegmentsHash(Isa isa, @TempDir Path dir) throws IOException {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        byte[] content = new byte[3 * (1 << 20) + 7];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("blob.bin");
        Files.write(file, content);
        byte[] want = new byte[64];
        JavaBlake3Kernel.INSTANCE.hash(Blake3TestSupport.IV, 0, content, 0, content.length, want, 0, want.length);
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            byte[] got = new byte[64];
            kernel.hash(Blake3TestSupport.IV, 0, mapped, got, 0, got.length);
            assertArrayEquals(want, got, kernel.name() + " mapped file");
            byte[] cvWant = new byte[32];
            byte[] cvGot = new byte[32];
            MemorySegment firstMiB = mapped.asSlice(0, 1 << 20);
            JavaBlake3Kernel.INSTANCE.subtreeChainingValue(Blake3TestSupport.IV, 0, content, 0, 1 << 20, 0, cvWant, 0);
            kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, firstMiB, 0, cvGot, 0);
            assertArrayEquals(cvWant, cvGot, kernel.name() + " mapped subtree");
        }
        byte[] got = new byte[64];
        kernel.hash(Blake3TestSupport.IV, 0, MemorySegment.ofArray(content).asReadOnly(), got, 0, got.length);
        assertArrayEquals(want, got, kernel.name() + " read-only heap segment");
    }
}
