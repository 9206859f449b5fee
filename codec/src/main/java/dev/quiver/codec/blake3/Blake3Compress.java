package dev.quiver.codec.blake3;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.Integer.rotateRight;

/**
 * The BLAKE3 compression function (BLAKE3 paper, section 2.2), written for the JIT: the seven rounds are fully
 * unrolled on 32 local {@code int}s (16 state words, 16 message words in the permuted order of each round, so there
 * is no permutation step), and message words are read as little-endian {@code int}s in one access each.
 *
 * <p>Only one copy of the round code exists ({@link #compress}); the three readers ({@code byte[]}, memory segment,
 * {@code int[]}) are small wrappers the JIT inlines into their callers. The core is about 4.5 KB of bytecode, under
 * HotSpot's 8000-byte {@code HugeMethodLimit}, so it is always compiled. Stateless and thread-safe.
 */
final class Blake3Compress {

    /** The IV (paper, section 2.1; the same words as SHA-256's). Never handed out, never written. */
    static final int[] IV = Blake3Flags.iv();

    static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt SEG_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Blake3Compress() {
    }

    /**
     * Compresses the 64-byte block at {@code in[off, off + 64)} under the chaining value {@code cv[cvOff, cvOff + 8)}
     * and writes the output to {@code out[outOff, ...)}: 8 words (the next chaining value; {@code out} may be
     * {@code cv}) or, when {@code wide}, all 16 output words (extended output; {@code out} must not overlap
     * {@code cv}).
     */
    static void compressBytes(int[] cv, int cvOff, byte[] in, int off, long counter, int blockLen, int flags,
                              int[] out, int outOff, boolean wide) {
        compress(cv, cvOff,
                (int) LE_INT.get(in, off), (int) LE_INT.get(in, off + 4), (int) LE_INT.get(in, off + 8),
                (int) LE_INT.get(in, off + 12), (int) LE_INT.get(in, off + 16), (int) LE_INT.get(in, off + 20),
                (int) LE_INT.get(in, off + 24), (int) LE_INT.get(in, off + 28), (int) LE_INT.get(in, off + 32),
                (int) LE_INT.get(in, off + 36), (int) LE_INT.get(in, off + 40), (int) LE_INT.get(in, off + 44),
                (int) LE_INT.get(in, off + 48), (int) LE_INT.get(in, off + 52), (int) LE_INT.get(in, off + 56),
                (int) LE_INT.get(in, off + 60),
                counter, blockLen, flags, out, outOff, wide);
    }

    /** As {@link #compressBytes}, reading the block from {@code in} at byte offset {@code off}. */
    static void compressSegment(int[] cv, int cvOff, MemorySegment in, long off, long counter, int blockLen,
                                int flags, int[] out, int outOff, boolean wide) {
        compress(cv, cvOff,
                in.get(SEG_INT, off), in.get(SEG_INT, off + 4), in.get(SEG_INT, off + 8), in.get(SEG_INT, off + 12),
                in.get(SEG_INT, off + 16), in.get(SEG_INT, off + 20), in.get(SEG_INT, off + 24),
                in.get(SEG_INT, off + 28), in.get(SEG_INT, off + 32), in.get(SEG_INT, off + 36),
                in.get(SEG_INT, off + 40), in.get(SEG_INT, off + 44), in.get(SEG_INT, off + 48),
                in.get(SEG_INT, off + 52), in.get(SEG_INT, off + 56), in.get(SEG_INT, off + 60),
                counter, blockLen, flags, out, outOff, wide);
    }

    /** As {@link #compressBytes}, the block being the 16 words {@code m[mOff, mOff + 16)} (parent nodes). */
    static void compressWords(int[] cv, int cvOff, int[] m, int mOff, long counter, int blockLen, int flags,
                              int[] out, int outOff, boolean wide) {
        compress(cv, cvOff,
                m[mOff], m[mOff + 1], m[mOff + 2], m[mOff + 3], m[mOff + 4], m[mOff + 5], m[mOff + 6], m[mOff + 7],
                m[mOff + 8], m[mOff + 9], m[mOff + 10], m[mOff + 11], m[mOff + 12], m[mOff + 13], m[mOff + 14],
                m[mOff + 15],
                counter, blockLen, flags, out, outOff, wide);
    }

    // The round code is necessarily longer than our usual method limit: splitting it would put the state in an
    // array, which is what makes other Java BLAKE3s slow.
    private static void compress(int[] cv, int cvOff,
                                 int m0, int m1, int m2, int m3, int m4, int m5, int m6, int m7,
                                 int m8, int m9, int m10, int m11, int m12, int m13, int m14, int m15,
                                 long counter, int blockLen, int flags, int[] out, int outOff, boolean wide) {
        int v0 = cv[cvOff];
        int v1 = cv[cvOff + 1];
        int v2 = cv[cvOff + 2];
        int v3 = cv[cvOff + 3];
        int v4 = cv[cvOff + 4];
        int v5 = cv[cvOff + 5];
        int v6 = cv[cvOff + 6];
        int v7 = cv[cvOff + 7];
        int v8 = 0x6A09E667;
        int v9 = 0xBB67AE85;
        int v10 = 0x3C6EF372;
        int v11 = 0xA54FF53A;
        int v12 = (int) counter;
        int v13 = (int) (counter >>> 32);
        int v14 = blockLen;
        int v15 = flags;
        // round 1: message words in the order of the permutation applied 0 times (spec 2.2)
        v0 += v4 + m0; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m1; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m2; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m3; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m4; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m5; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m6; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m7; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m8; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m9; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m10; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m11; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m12; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m13; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m14; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m15; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 2: message words in the order of the permutation applied 1 times (spec 2.2)
        v0 += v4 + m2; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m6; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m3; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m10; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m7; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m0; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m4; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m13; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m1; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m11; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m12; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m5; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m9; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m14; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m15; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m8; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 3: message words in the order of the permutation applied 2 times (spec 2.2)
        v0 += v4 + m3; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m4; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m10; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m12; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m13; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m2; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m7; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m14; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m6; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m5; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m9; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m0; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m11; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m15; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m8; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m1; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 4: message words in the order of the permutation applied 3 times (spec 2.2)
        v0 += v4 + m10; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m7; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m12; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m9; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m14; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m3; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m13; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m15; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m4; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m0; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m11; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m2; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m5; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m8; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m1; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m6; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 5: message words in the order of the permutation applied 4 times (spec 2.2)
        v0 += v4 + m12; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m13; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m9; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m11; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m15; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m10; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m14; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m8; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m7; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m2; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m5; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m3; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m0; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m1; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m6; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m4; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 6: message words in the order of the permutation applied 5 times (spec 2.2)
        v0 += v4 + m9; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m14; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m11; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m5; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m8; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m12; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m15; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m1; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m13; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m3; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m0; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m10; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m2; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m6; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m4; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m7; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        // round 7: message words in the order of the permutation applied 6 times (spec 2.2)
        v0 += v4 + m11; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
        v0 += v4 + m15; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
        v1 += v5 + m5; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
        v1 += v5 + m0; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
        v2 += v6 + m1; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
        v2 += v6 + m9; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
        v3 += v7 + m8; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
        v3 += v7 + m6; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
        v0 += v5 + m14; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
        v0 += v5 + m10; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
        v1 += v6 + m2; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
        v1 += v6 + m12; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
        v2 += v7 + m3; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
        v2 += v7 + m4; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
        v3 += v4 + m7; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
        v3 += v4 + m13; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);

        if (wide) {
            // Extended output (paper, section 2.6): the second half is also fed forward with the input CV.
            out[outOff + 8] = v8 ^ cv[cvOff];
            out[outOff + 9] = v9 ^ cv[cvOff + 1];
            out[outOff + 10] = v10 ^ cv[cvOff + 2];
            out[outOff + 11] = v11 ^ cv[cvOff + 3];
            out[outOff + 12] = v12 ^ cv[cvOff + 4];
            out[outOff + 13] = v13 ^ cv[cvOff + 5];
            out[outOff + 14] = v14 ^ cv[cvOff + 6];
            out[outOff + 15] = v15 ^ cv[cvOff + 7];
        }
        out[outOff] = v0 ^ v8;
        out[outOff + 1] = v1 ^ v9;
        out[outOff + 2] = v2 ^ v10;
        out[outOff + 3] = v3 ^ v11;
        out[outOff + 4] = v4 ^ v12;
        out[outOff + 5] = v5 ^ v13;
        out[outOff + 6] = v6 ^ v14;
        out[outOff + 7] = v7 ^ v15;
    }
}
