package dev.quiver.codec.testing;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blake3.JavaBlake3Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks every {@link Blake3Kernel} must pass, for any implementation (pure Java, each native tier). Call
 * {@link #assertConforms(Blake3Kernel)} from a test with a generous timeout (tens of seconds for a slow kernel), or
 * the named parts one by one. Failures name the kernel, the mode, the length and the offsets.
 *
 * <p>Reference: the official vectors, and {@link JavaBlake3Kernel} for random inputs (itself checked against the
 * vectors, BouncyCastle and Commons Codec in codec's own tests).
 */
public final class Blake3KernelConformance {

    /** Output length of the official vectors' extended outputs. */
    private static final int VECTOR_OUT_LEN = 131;

    private Blake3KernelConformance() {
    }

    /** Runs every check below. */
    public static void assertConforms(Blake3Kernel kernel) {
        assertOfficialVectors(kernel);
        assertMatchesJavaAtBoundaries(kernel, 0x5eed);
        assertSubtreesCompose(kernel, 0xb1a4e3);
        assertRejectsBadArguments(kernel);
    }

    /** The mode of a check: key words and flags as the kernel takes them. */
    private record Mode(String name, int[] keyWords, int flags) {
    }

    /**
     * All official vectors: hash, keyed_hash and derive_key, with the full 131-byte extended output and with
     * 32-byte and 1-byte prefixes, through {@code byte[]} at an odd offset, a heap segment and a native segment.
     * derive_key is done as the spec says: hash the context string with DERIVE_KEY_CONTEXT, then the material
     * with DERIVE_KEY_MATERIAL under that context key.
     */
    public static void assertOfficialVectors(Blake3Kernel kernel) {
        Blake3Vectors vectors = Blake3Vectors.load();
        Mode plain = new Mode("hash", Blake3.ivWords(), 0);
        Mode keyed = new Mode("keyed_hash", Blake3.keyWords(vectors.key()), Blake3Flags.KEYED_HASH);
        byte[] context = vectors.context().getBytes(StandardCharsets.UTF_8);
        byte[] contextKey = new byte[Blake3Flags.KEY_LEN];
        kernel.hash(Blake3.ivWords(), Blake3Flags.DERIVE_KEY_CONTEXT, context, 0, context.length, contextKey, 0,
                contextKey.length);
        Mode derive = new Mode("derive_key", Blake3.keyWords(contextKey), Blake3Flags.DERIVE_KEY_MATERIAL);
        for (Blake3Vectors.Case c : vectors.cases()) {
            byte[] input = c.input();
            checkVector(kernel, plain, input, c.hash());
            checkVector(kernel, keyed, input, c.keyedHash());
            checkVector(kernel, derive, input, c.deriveKey());
        }
    }

    private static void checkVector(Blake3Kernel kernel, Mode mode, byte[] input, byte[] expected) {
        String what = kernel.name() + " " + mode.name() + " input_len=" + input.length;
        for (int outLen : new int[] {VECTOR_OUT_LEN, Blake3Flags.OUT_LEN, 1}) {
            byte[] want = Arrays.copyOf(expected, outLen);
            // byte[] input at an odd offset, output at an odd offset with guard bytes around it.
            byte[] shifted = new byte[input.length + 3];
            System.arraycopy(input, 0, shifted, 3, input.length);
            byte[] out = new byte[outLen + 10];
            Arrays.fill(out, (byte) 0x5A);
            kernel.hash(mode.keyWords(), mode.flags(), shifted, 3, input.length, out, 5, outLen);
            assertArrayEquals(want, Arrays.copyOfRange(out, 5, 5 + outLen), what + " outLen=" + outLen + " (byte[])");
            assertGuards(out, 5, outLen, what);
            byte[] segOut = new byte[outLen];
            kernel.hash(mode.keyWords(), mode.flags(), MemorySegment.ofArray(input), segOut, 0, outLen);
            assertArrayEquals(want, segOut, what + " outLen=" + outLen + " (heap segment)");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nat = arena.allocate(input.length + 1L).asSlice(1);
                MemorySegment.copy(input, 0, nat, ValueLayout.JAVA_BYTE, 0, input.length);
                Arrays.fill(segOut, (byte) 0);
                kernel.hash(mode.keyWords(), mode.flags(), nat, segOut, 0, outLen);
                assertArrayEquals(want, segOut, what + " outLen=" + outLen + " (native segment)");
            }
        }
    }

    private static void assertGuards(byte[] out, int off, int len, String what) {
        for (int i = 0; i < out.length; i++) {
            if ((i < off || i >= off + len) && out[i] != 0x5A) {
                fail(what + ": wrote outside its output range at index " + i);
            }
        }
    }

    /**
     * The lengths every kernel is checked at: block and chunk boundaries, every {@code 2^n} and {@code 2^n ± 1}
     * from 2 up to 1 MiB, and a few odd sizes in between.
     */
    public static List<Integer> boundaryLengths() {
        TreeSet<Integer> lengths = new TreeSet<>(List.of(0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000,
                1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 3073, 5120, 7169, 31 * 1024 + 7, 100_000));
        for (int n = 1; n <= 20; n++) {
            lengths.add((1 << n) - 1);
            lengths.add(1 << n);
            lengths.add((1 << n) + 1);
        }
        return List.copyOf(lengths);
    }

    /**
     * Random inputs at {@link #boundaryLengths()} in all three modes, at unaligned input and output offsets and
     * several output lengths, through {@code byte[]} and native segments, equal to {@link JavaBlake3Kernel}.
     */
    public static void assertMatchesJavaAtBoundaries(Blake3Kernel kernel, long seed) {
        Random random = new Random(seed);
        Blake3Kernel reference = JavaBlake3Kernel.INSTANCE;
        int[] outLens = {32, 1, 64, 65, 200};
        int i = 0;
        for (int len : boundaryLengths()) {
            Mode mode = randomMode(random, i);
            int inOff = random.nextInt(8);
            byte[] in = new byte[inOff + len + random.nextInt(3)];
            random.nextBytes(in);
            int outLen = outLens[i % outLens.length];
            int outOff = random.nextInt(5);
            byte[] want = new byte[outLen];
            reference.hash(mode.keyWords(), mode.flags(), in, inOff, len, want, 0, outLen);
            String what = kernel.name() + " " + mode.name() + " len=" + len + " inOff=" + inOff + " outLen=" + outLen
                    + " seed=" + seed;
            byte[] out = new byte[outOff + outLen + 4];
            Arrays.fill(out, (byte) 0x5A);
            kernel.hash(mode.keyWords(), mode.flags(), in, inOff, len, out, outOff, outLen);
            assertArrayEquals(want, Arrays.copyOfRange(out, outOff, outOff + outLen), what + " (byte[])");
            assertGuards(out, outOff, outLen, what);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nat = arena.allocate(len + 8L).asSlice(inOff, len);
                MemorySegment.copy(in, inOff, nat, ValueLayout.JAVA_BYTE, 0, len);
                byte[] segOut = new byte[outLen];
                kernel.hash(mode.keyWords(), mode.flags(), nat, segOut, 0, outLen);
                assertArrayEquals(want, segOut, what + " (native segment)");
            }
            i++;
        }
    }

    private static Mode randomMode(Random random, int i) {
        int[] key = new int[8];
        for (int w = 0; w < 8; w++) {
            key[w] = random.nextInt();
        }
        return switch (i % 3) {
            case 0 -> new Mode("hash", Blake3.ivWords(), 0);
            case 1 -> new Mode("keyed_hash", key, Blake3Flags.KEYED_HASH);
            default -> new Mode("derive_key_material", key, Blake3Flags.DERIVE_KEY_MATERIAL);
        };
    }

    /**
     * {@code subtreeChainingValue} equals the Java kernel's for aligned subtrees of many sizes at non-zero chunk
     * counters (byte[] and segment), two sibling subtrees' parent equals the subtree over both, and the two
     * top-level subtrees of a message give its hash through {@link Blake3Tree#rootHash}.
     */
    public static void assertSubtreesCompose(Blake3Kernel kernel, long seed) {
        Random random = new Random(seed);
        Blake3Kernel reference = JavaBlake3Kernel.INSTANCE;
        int[] chunkCounts = {1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33, 64, 127, 128};
        int i = 0;
        for (int chunks : chunkCounts) {
            Mode mode = randomMode(random, i++);
            // The last chunk is partial now and then.
            int len = chunks * Blake3Flags.CHUNK_LEN - (random.nextBoolean() ? 0 : 1 + random.nextInt(1023));
            long span = Long.highestOneBit(chunks) == chunks ? chunks : Long.highestOneBit(chunks) << 1;
            long counter = span * (1 + random.nextInt(1000));
            byte[] in = new byte[len + 3];
            random.nextBytes(in);
            String what = kernel.name() + " " + mode.name() + " chunks=" + chunks + " len=" + len + " counter="
                    + counter + " seed=" + seed;
            byte[] want = new byte[32];
            reference.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3, len, counter, want, 0);
            byte[] got = new byte[40];
            kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3, len, counter, got, 7);
            assertArrayEquals(want, Arrays.copyOfRange(got, 7, 39), what + " (byte[])");
            byte[] segGot = new byte[32];
            kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), MemorySegment.ofArray(in).asSlice(3, len),
                    counter, segGot, 0);
            assertArrayEquals(want, segGot, what + " (segment)");
            if (chunks == span && chunks > 1) {
                int half = chunks / 2 * Blake3Flags.CHUNK_LEN;
                byte[] left = new byte[32];
                byte[] right = new byte[32];
                kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3, half, counter, left, 0);
                kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3 + half, len - half,
                        counter + chunks / 2, right, 0);
                byte[] parent = new byte[32];
                Blake3Tree.parentChainingValue(left, 0, right, 0, mode.keyWords(), mode.flags(), parent, 0);
                assertArrayEquals(want, parent, what + " (parent of halves)");
            }
            if (chunks > 1) {
                // The whole message: left = largest power of two below the chunk count.
                int leftLen = (int) Long.highestOneBit(chunks - 1) * Blake3Flags.CHUNK_LEN;
                byte[] left = new byte[32];
                byte[] right = new byte[32];
                kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3, leftLen, 0, left, 0);
                kernel.subtreeChainingValue(mode.keyWords(), mode.flags(), in, 3 + leftLen, len - leftLen,
                        leftLen / Blake3Flags.CHUNK_LEN, right, 0);
                byte[] root = new byte[65];
                Blake3Tree.rootHash(left, 0, right, 0, mode.keyWords(), mode.flags(), root, 0, root.length);
                byte[] hash = new byte[65];
                kernel.hash(mode.keyWords(), mode.flags(), in, 3, len, hash, 0, hash.length);
                assertArrayEquals(hash, root, what + " (root of the two top subtrees)");
            }
        }
    }

    /**
     * Bad offsets and lengths throw {@link IndexOutOfBoundsException} (short key words too) and leave the output
     * untouched; an empty or misaligned subtree and unknown flags throw {@link IllegalArgumentException} or
     * {@link IndexOutOfBoundsException}.
     */
    public static void assertRejectsBadArguments(Blake3Kernel kernel) {
        int[] iv = Blake3.ivWords();
        byte[] in = new byte[4096];
        byte[] out = new byte[64];
        List<Call> bounds = new ArrayList<>();
        bounds.add(() -> kernel.hash(iv, 0, in, -1, 10, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 0, -1, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 4000, 97, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, Integer.MAX_VALUE, 2, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 2, Integer.MAX_VALUE, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 0, 10, out, -1, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 0, 10, out, 0, -1));
        bounds.add(() -> kernel.hash(iv, 0, in, 0, 10, out, 40, 32));
        bounds.add(() -> kernel.hash(iv, 0, in, 0, 10, out, Integer.MAX_VALUE, 2));
        bounds.add(() -> kernel.hash(new int[7], 0, in, 0, 10, out, 0, 32));
        bounds.add(() -> kernel.hash(iv, 0, MemorySegment.ofArray(in), out, 33, 32));
        bounds.add(() -> kernel.hash(iv, 0, MemorySegment.ofArray(in), out, 0, -5));
        bounds.add(() -> kernel.subtreeChainingValue(iv, 0, in, -1, 1024, 0, out, 0));
        bounds.add(() -> kernel.subtreeChainingValue(iv, 0, in, 1024, 4096, 0, out, 0));
        bounds.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 1024, 0, out, 33));
        bounds.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 1024, 0, out, -1));
        bounds.add(() -> kernel.subtreeChainingValue(new int[3], 0, in, 0, 1024, 0, out, 0));
        bounds.add(() -> kernel.subtreeChainingValue(iv, 0, MemorySegment.ofArray(in), 0, out, 40));
        for (int c = 0; c < bounds.size(); c++) {
            Arrays.fill(out, (byte) 0x5A);
            Call call = bounds.get(c);
            assertThrows(IndexOutOfBoundsException.class, call::run, kernel.name() + " bad-bounds call #" + c);
            assertGuards(out, 0, 0, kernel.name() + " bad-bounds call #" + c);
        }
        List<Call> invalid = new ArrayList<>();
        invalid.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 0, 0, out, 0));
        invalid.add(() -> kernel.subtreeChainingValue(iv, 0, MemorySegment.ofArray(new byte[0]), 0, out, 0));
        invalid.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 2048, 1, out, 0));
        invalid.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 3000, 2, out, 0));
        invalid.add(() -> kernel.subtreeChainingValue(iv, 0, in, 0, 1024, -4, out, 0));
        invalid.add(() -> kernel.hash(iv, Blake3Flags.ROOT, in, 0, 10, out, 0, 32));
        invalid.add(() -> kernel.hash(iv, Blake3Flags.KEYED_HASH | Blake3Flags.DERIVE_KEY_MATERIAL, in, 0, 10, out,
                0, 32));
        for (int c = 0; c < invalid.size(); c++) {
            Arrays.fill(out, (byte) 0x5A);
            Call call = invalid.get(c);
            RuntimeException e = assertThrows(RuntimeException.class, call::run,
                    kernel.name() + " invalid call #" + c);
            assertTrue(e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException,
                    kernel.name() + " invalid call #" + c + " threw " + e);
            assertGuards(out, 0, 0, kernel.name() + " invalid call #" + c);
        }
    }

    @FunctionalInterface
    private interface Call {
        void run();
    }
}
