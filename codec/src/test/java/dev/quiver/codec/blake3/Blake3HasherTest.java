package dev.quiver.codec.blake3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class Blake3HasherTest {
    private static final String CONTEXT = "quiver 2026-11-21 hasher test";

    private static final int[] SIZES = {0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 2049, 3072, 4097, 16384, 16385,
        65536 + 1000, 131072, 262143, 1 << 20, (1 << 20) + 1};

    /** Feeds {@code in} in random pieces (often tiny, sometimes large), through byte[], ByteBuffer and segments. */
    private static void feedRandomly(Blake3Hasher hasher, byte[] in, Random random) {
        int off = 0;
        while (off < in.length) {
            int max = in.length - off;
            int len = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(Math.min(max, 70) + 1);
                case 1 -> random.nextInt(Math.min(max, 5000) + 1);
                default -> random.nextInt(max + 1);
            };
            switch (random.nextInt(4)) {
                case 0 -> hasher.update(ByteBuffer.wrap(in, off, len));
                case 1 -> {
                    ByteBuffer direct = ByteBuffer.allocateDirect(len);
                    direct.put(in, off, len).flip();
                    hasher.update(direct);
                    assertEquals(0, direct.remaining(), "update(ByteBuffer) consumes the buffer");
                }
                case 2 -> hasher.update(MemorySegment.ofArray(in).asSlice(off, len));
                default -> hasher.update(in, off, len);
            }
            off += len;
        }
    }

    @Test
    void randomSplitsEqualOneShotInAllModes() {
        Random random = new Random(21);
        byte[] key = new byte[32];
        random.nextBytes(key);
        for (int size : SIZES) {
            byte[] in = new byte[size];
            random.nextBytes(in);
            for (int trial = 0; trial < 3; trial++) {
                Blake3Hasher plain = Blake3.newHasher();
                feedRandomly(plain, in, random);
                assertArrayEquals(Blake3.hash(in), plain.digest(), "plain size " + size);
                Blake3Hasher keyed = Blake3.newKeyedHasher(key);
                feedRandomly(keyed, in, random);
                assertArrayEquals(Blake3.keyedHash(key, in), keyed.digest(), "keyed size " + size);
                Blake3Hasher derive = Blake3.newDeriveKeyHasher(CONTEXT);
                feedRandomly(derive, in, random);
                byte[] out = new byte[77];
                derive.finalizeTo(out, 0, out.length);
                assertArrayEquals(Blake3.deriveKey(CONTEXT, in, 77), out, "derive size " + size);
            }
        }
    }

    @Test
    void byteAtATimeEqualsOneShot() {
        byte[] in = new byte[3 * 1024 + 17];
        new Random(22).nextBytes(in);
        Blake3Hasher hasher = Blake3.newHasher();
        for (int i = 0; i < in.length; i++) {
            hasher.update(in, i, 1);
        }
        assertArrayEquals(Blake3.hash(in), hasher.digest());
    }

    @Test
    void nativeSegmentInput() {
        byte[] in = new byte[200_003];
        new Random(23).nextBytes(in);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(in.length + 1L).asSlice(1);
            MemorySegment.copy(in, 0, seg, ValueLayout.JAVA_BYTE, 0, in.length);
            Blake3Hasher hasher = Blake3.newHasher();
            hasher.update(seg.asSlice(0, 5)).update(seg.asSlice(5));
            assertArrayEquals(Blake3.hash(in), hasher.digest());
        }
    }

    @Test
    void finalizingKeepsStateAndResetForgetsIt() {
        byte[] in = new byte[5000];
        new Random(24).nextBytes(in);
        Blake3Hasher hasher = Blake3.newHasher().update(in, 0, 3000);
        assertArrayEquals(Blake3.hash(Arrays.copyOf(in, 3000)), hasher.digest());
        hasher.update(in, 3000, 2000);
        assertArrayEquals(Blake3.hash(in), hasher.digest());
        hasher.reset().update(in, 0, 10);
        assertArrayEquals(Blake3.hash(Arrays.copyOf(in, 10)), hasher.digest());
    }

    @Test
    void outputReaderSeeksAnywhere() {
        Random random = new Random(25);
        byte[] in = new byte[4000];
        random.nextBytes(in);
        byte[] full = new byte[5000];
        Blake3.hash(in, 0, in.length, full, 0, full.length);
        Blake3OutputReader reader = Blake3.newHasher().update(in).finalizeXof();
        byte[] first = new byte[100];
        reader.read(first);
        assertArrayEquals(Arrays.copyOf(full, 100), first);
        assertEquals(100, reader.position());
        for (int i = 0; i < 200; i++) {
            int pos = random.nextInt(4900);
            int len = random.nextInt(full.length - pos);
            byte[] part = new byte[len + 2];
            reader.seek(pos).read(part, 2, len);
            assertArrayEquals(Arrays.copyOfRange(full, pos, pos + len), Arrays.copyOfRange(part, 2, len + 2),
                    "pos " + pos + " len " + len);
            assertEquals(pos + len, reader.position());
        }
        // Far output blocks use the upper counter word.
        byte[] far = new byte[70];
        reader.seek((1L << 38) - 3).read(far);
        byte[] again = new byte[70];
        reader.seek((1L << 38) - 3).read(again);
        assertArrayEquals(far, again);
        assertThrows(IllegalArgumentException.class, () -> reader.seek(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.read(new byte[4], 2, 3));
    }

    @Test
    void readerIsIndependentOfLaterInput() {
        Blake3Hasher hasher = Blake3.newHasher().update(new byte[2000]);
        Blake3OutputReader reader = hasher.finalizeXof();
        hasher.update(new byte[] {1});
        byte[] out = new byte[32];
        reader.read(out);
        assertArrayEquals(Blake3.hash(new byte[2000]), out);
    }

    /** A kernel that delegates to Java and counts subtree calls, to see the hasher hands large runs to it. */
    private static final class CountingKernel implements Blake3Kernel {
        final AtomicInteger subtrees = new AtomicInteger();
        final Blake3Kernel java = JavaBlake3Kernel.INSTANCE;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void hash(int[] k, int f, byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
            java.hash(k, f, in, inOff, inLen, out, outOff, outLen);
        }

        @Override
        public void hash(int[] k, int f, MemorySegment in, byte[] out, int outOff, int outLen) {
            java.hash(k, f, in, out, outOff, outLen);
        }

        @Override
        public void subtreeChainingValue(int[] k, int f, byte[] in, int inOff, int inLen, long counter, byte[] cv,
                                         int cvOff) {
            subtrees.incrementAndGet();
            java.subtreeChainingValue(k, f, in, inOff, inLen, counter, cv, cvOff);
        }

        @Override
        public void subtreeChainingValue(int[] k, int f, MemorySegment in, long counter, byte[] cv, int cvOff) {
            subtrees.incrementAndGet();
            java.subtreeChainingValue(k, f, in, counter, cv, cvOff);
        }
    }

    @Test
    void largeRunsGoToTheKernelAsAlignedSubtrees() {
        Random random = new Random(26);
        byte[] in = new byte[(1 << 20) + 333];
        random.nextBytes(in);
        byte[] key = new byte[32];
        random.nextBytes(key);
        CountingKernel kernel = new CountingKernel();
        for (int trial = 0; trial < 5; trial++) {
            Blake3Hasher hasher = Blake3.newKeyedHasher(key, kernel);
            feedRandomly(hasher, in, random);
            assertArrayEquals(Blake3.keyedHash(key, in), hasher.digest(), "trial " + trial);
        }
        Blake3Hasher oneRun = Blake3.newHasher(kernel);
        int before = kernel.subtrees.get();
        oneRun.update(in, 0, 7).update(in, 7, in.length - 7);
        assertArrayEquals(Blake3.hash(in), oneRun.digest());
        assertTrue(kernel.subtrees.get() - before >= 1, "a 1 MiB run is handed to the kernel");
        assertEquals("counting", oneRun.kernel().name());
    }

    @Test
    void rejectsBadArguments() {
        Blake3Hasher hasher = Blake3.newHasher();
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.finalizeTo(new byte[4], 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.finalizeTo(new byte[4], 0, -1));
        // A failed call leaves the state alone.
        assertArrayEquals(Blake3.hash(new byte[0]), hasher.digest());
    }
}
