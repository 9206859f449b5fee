package dev.quiver.codec.blake3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(120)
class Blake3ParallelTest {

    private static byte[] random(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void equalsSerialForEverySizeClass() {
        Random random = new Random(31);
        int[] sizes = {0, 1, 1025, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 1 << 20, (1 << 20) + 1,
            3 * (1 << 20) + 12345, 4 << 20, (4 << 20) + 1024, 600_000 + random.nextInt(1 << 20)};
        for (int size : sizes) {
            byte[] in = random(size, size);
            MemorySegment seg = MemorySegment.ofArray(in);
            for (int threads : new int[] {1, 2, 3, 8}) {
                assertArrayEquals(Blake3.hash(in), Blake3.hashParallel(seg, threads),
                        "size " + size + " threads " + threads);
            }
        }
    }

    @Test
    void extendedOutputAndSharedNativeSegmentOnAnExecutor() {
        byte[] in = random(5 * (1 << 20) + 77, 32);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(in.length);
            MemorySegment.copy(in, 0, seg, ValueLayout.JAVA_BYTE, 0, in.length);
            byte[] want = new byte[200];
            Blake3.hash(in, 0, in.length, want, 0, want.length);
            byte[] got = new byte[203];
            Blake3.hashParallel(seg, pool, 16, got, 3, 200);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 3, 203));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keyedAndDeriveModes() {
        byte[] in = random(2 * (1 << 20) + 5, 33);
        byte[] key = random(32, 34);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            byte[] got = new byte[32];
            Blake3.hashParallel(Blake3.keyWords(key), Blake3Flags.KEYED_HASH, MemorySegment.ofArray(in), pool, 4,
                    got, 0, 32);
            assertArrayEquals(Blake3.keyedHash(key, in), got);
            Blake3.hashParallel(Blake3.deriveKeyContextWords("ctx"), Blake3Flags.DERIVE_KEY_MATERIAL,
                    MemorySegment.ofArray(in), pool, 4, got, 0, 32);
            assertArrayEquals(Blake3.deriveKey("ctx", in, 32), got);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void confinedSegmentIsRefusedWithAClearMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2 << 20);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Blake3.hashParallel(seg, 2));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("Arena.ofShared"), e.getMessage());
        }
    }

    @Test
    void rejectsBadArguments() {
        MemorySegment seg = MemorySegment.ofArray(new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> Blake3.hashParallel(seg, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hashParallel(seg, 2, new byte[10], 0, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hashParallel(seg, 2, new byte[10], -1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Blake3.hashParallel(Blake3.ivWords(), Blake3Flags.ROOT, seg, Runnable::run, 2, new byte[32], 0,
                        32));
    }
}
