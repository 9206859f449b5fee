package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.JavaBlake3Kernel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Inputs larger than one downcall's share ({@link NativeBlake3Kernel#MAX_BYTES_PER_DOWNCALL}) are split into
 * aligned subtrees in Java and joined there; the result still equals the pure-Java kernel, for byte[] and
 * off-heap input, hashes and subtrees.
 */
@Timeout(120)
class NativeBlake3LargeInputTest {
    private static final int MAX = 5 * (1 << 20) + 123;
    private static final byte[] DATA = new byte[MAX + 8];

    static {
        new Random(77).nextBytes(DATA);
    }

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void largeInputsMatchTheJavaKernel(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        int[] key = Blake3TestSupport.keyWords(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
            29, 30, 31, 32});
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeData = arena.allocate(DATA.length);
            MemorySegment.copy(DATA, 0, nativeData, ValueLayout.JAVA_BYTE, 0, DATA.length);
            int oneCall = (int) NativeBlake3Kernel.MAX_BYTES_PER_DOWNCALL;
            for (int len : new int[] {oneCall, oneCall + 1, 2 * oneCall, 3 * oneCall - 1, MAX}) {
                for (int flags : new int[] {0, Blake3Flags.KEYED_HASH}) {
                    int[] words = flags == 0 ? Blake3TestSupport.IV : key;
                    byte[] want = new byte[100];
                    JavaBlake3Kernel.INSTANCE.hash(words, flags, DATA, 3, len, want, 0, want.length);
                    byte[] got = new byte[100];
                    kernel.hash(words, flags, DATA, 3, len, got, 0, got.length);
                    String what = kernel.name() + " len=" + len + " flags=" + flags;
                    assertArrayEquals(want, got, what + " byte[]");
                    got = new byte[100];
                    kernel.hash(words, flags, nativeData.asSlice(3, len), got, 0, got.length);
                    assertArrayEquals(want, got, what + " off-heap");
                }
            }
            // A 4 MiB + 1 byte subtree needs 8 MiB of alignment: counter 8192 chunks.
            int len = 4 * (1 << 20) + 1;
            byte[] want = new byte[32];
            JavaBlake3Kernel.INSTANCE.subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, len, 8192, want, 0);
            byte[] got = new byte[32];
            kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, len, 8192, got, 0);
            assertArrayEquals(want, got, kernel.name() + " large subtree byte[]");
            got = new byte[32];
            kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, nativeData.asSlice(0, len), 8192, got, 0);
            assertArrayEquals(want, got, kernel.name() + " large subtree off-heap");
        }
    }
}
