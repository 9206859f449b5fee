package dev.quiver.codec.blake3;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * BLAKE3 over several whole chunks at once with the Vector API: lane {@code l} of every vector belongs to chunk
 * {@code l} (the official implementation's {@code hash_many} layout), so one vector instruction advances
 * {@link #LANES} compressions. The blocks of a chunk are sequential, but different chunks are independent
 * (BLAKE3 paper, section 5.3), which the scalar path cannot exploit. The input is transposed on the way into the
 * scratch array so that each message vector is one contiguous load (measured: 1.4 times faster than gathers).
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link JavaBlake3Kernel}); referencing
 * this class without it fails to link. The round is written once and looped 7 times with the message words
 * renamed in permuted order, so C2 inlines every vector call (a fully unrolled version would exceed its inlining
 * budget and box the vectors). Stateless; callers pass their working arrays.
 */
final class Blake3VectorLanes {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    /** Chunks per call: 8 with AVX2, 16 with AVX-512. */
    static final int LANES = SPECIES.length();
    /** Words of one chunk. */
    private static final int CHUNK_WORDS = Blake3Flags.CHUNK_LEN / 4;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Blake3VectorLanes() {
    }

    /**
     * Writes the chaining values of the {@link #LANES} whole chunks {@code arr|seg[off, off + LANES * 1024)}
     * (exactly one of the two is non-null), chunk counters {@code counter, counter + 1, ...}, to
     * {@code cvOut[cvOff + 8 * l, ...)} for each chunk {@code l}.
     * {@code words} is scratch of at least {@code LANES * 258} ints.
     */
    static void hashChunks(int[] key, int flags, byte[] arr, MemorySegment seg, long off, long counter, int[] cvOut,
                           int cvOff, int[] words) {
        // Transpose while copying: word w of chunk l goes to words[w * LANES + l], so the message vector of word
        // j of block b is one contiguous load.
        if (arr != null) {
            int o = (int) off;
            for (int l = 0; l < LANES; l++) {
                int chunkOff = o + l * Blake3Flags.CHUNK_LEN;
                for (int w = 0; w < CHUNK_WORDS; w++) {
                    words[w * LANES + l] = (int) Blake3Compress.LE_INT.get(arr, chunkOff + 4 * w);
                }
            }
        } else {
            for (int l = 0; l < LANES; l++) {
                long chunkOff = off + (long) l * Blake3Flags.CHUNK_LEN;
                for (int w = 0; w < CHUNK_WORDS; w++) {
                    words[w * LANES + l] = seg.get(LE_INT, chunkOff + 4L * w);
                }
            }
        }
        int countersAt = LANES * CHUNK_WORDS;
        for (int l = 0; l < LANES; l++) {
            long c = counter + l;
            words[countersAt + l] = (int) c;
            words[countersAt + LANES + l] = (int) (c >>> 32);
        }
        IntVector counterLo = IntVector.fromArray(SPECIES, words, countersAt);
        IntVector counterHi = IntVector.fromArray(SPECIES, words, countersAt + LANES);
        IntVector h0 = IntVector.broadcast(SPECIES, key[0]);
        IntVector h1 = IntVector.broadcast(SPECIES, key[1]);
        IntVector h2 = IntVector.broadcast(SPECIES, key[2]);
        IntVector h3 = IntVector.broadcast(SPECIES, key[3]);
        IntVector h4 = IntVector.broadcast(SPECIES, key[4]);
        IntVector h5 = IntVector.broadcast(SPECIES, key[5]);
        IntVector h6 = IntVector.broadcast(SPECIES, key[6]);
        IntVector h7 = IntVector.broadcast(SPECIES, key[7]);
        IntVector blockLen = IntVector.broadcast(SPECIES, Blake3Flags.BLOCK_LEN);
        for (int b = 0; b < 16; b++) {
            int base = b * 16 * LANES;
            IntVector m0 = IntVector.fromArray(SPECIES, words, base);
            IntVector m1 = IntVector.fromArray(SPECIES, words, base + 1 * LANES);
            IntVector m2 = IntVector.fromArray(SPECIES, words, base + 2 * LANES);
            IntVector m3 = IntVector.fromArray(SPECIES, words, base + 3 * LANES);
            IntVector m4 = IntVector.fromArray(SPECIES, words, base + 4 * LANES);
            IntVector m5 = IntVector.fromArray(SPECIES, words, base + 5 * LANES);
            IntVector m6 = IntVector.fromArray(SPECIES, words, base + 6 * LANES);
            IntVector m7 = IntVector.fromArray(SPECIES, words, base + 7 * LANES);
            IntVector m8 = IntVector.fromArray(SPECIES, words, base + 8 * LANES);
            IntVector m9 = IntVector.fromArray(SPECIES, words, base + 9 * LANES);
            IntVector m10 = IntVector.fromArray(SPECIES, words, base + 10 * LANES);
            IntVector m11 = IntVector.fromArray(SPECIES, words, base + 11 * LANES);
            IntVector m12 = IntVector.fromArray(SPECIES, words, base + 12 * LANES);
            IntVector m13 = IntVector.fromArray(SPECIES, words, base + 13 * LANES);
            IntVector m14 = IntVector.fromArray(SPECIES, words, base + 14 * LANES);
            IntVector m15 = IntVector.fromArray(SPECIES, words, base + 15 * LANES);
            int blockFlags = flags | (b == 0 ? Blake3Flags.CHUNK_START : 0) | (b == 15 ? Blake3Flags.CHUNK_END : 0);
            IntVector v0 = h0;
            IntVector v1 = h1;
            IntVector v2 = h2;
            IntVector v3 = h3;
            IntVector v4 = h4;
            IntVector v5 = h5;
            IntVector v6 = h6;
            IntVector v7 = h7;
            IntVector v8 = IntVector.broadcast(SPECIES, Blake3Compress.IV[0]);
            IntVector v9 = IntVector.broadcast(SPECIES, Blake3Compress.IV[1]);
            IntVector v10 = IntVector.broadcast(SPECIES, Blake3Compress.IV[2]);
            IntVector v11 = IntVector.broadcast(SPECIES, Blake3Compress.IV[3]);
            IntVector v12 = counterLo;
            IntVector v13 = counterHi;
            IntVector v14 = blockLen;
            IntVector v15 = IntVector.broadcast(SPECIES, blockFlags);
            for (int round = 0; round < 7; round++) {
                // Columns, then diagonals (paper, section 2.2).
                v0 = v0.add(v4).add(m0);
                v12 = v12.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.ROR, 16);
                v8 = v8.add(v12);
                v4 = v4.lanewise(VectorOperators.XOR, v8).lanewise(VectorOperators.ROR, 12);
                v0 = v0.add(v4).add(m1);
                v12 = v12.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.ROR, 8);
                v8 = v8.add(v12);
                v4 = v4.lanewise(VectorOperators.XOR, v8).lanewise(VectorOperators.ROR, 7);

                v1 = v1.add(v5).add(m2);
                v13 = v13.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.ROR, 16);
                v9 = v9.add(v13);
                v5 = v5.lanewise(VectorOperators.XOR, v9).lanewise(VectorOperators.ROR, 12);
                v1 = v1.add(v5).add(m3);
                v13 = v13.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.ROR, 8);
                v9 = v9.add(v13);
                v5 = v5.lanewise(VectorOperators.XOR, v9).lanewise(VectorOperators.ROR, 7);

                v2 = v2.add(v6).add(m4);
                v14 = v14.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.ROR, 16);
                v10 = v10.add(v14);
                v6 = v6.lanewise(VectorOperators.XOR, v10).lanewise(VectorOperators.ROR, 12);
                v2 = v2.add(v6).add(m5);
                v14 = v14.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.ROR, 8);
                v10 = v10.add(v14);
                v6 = v6.lanewise(VectorOperators.XOR, v10).lanewise(VectorOperators.ROR, 7);

                v3 = v3.add(v7).add(m6);
                v15 = v15.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.ROR, 16);
                v11 = v11.add(v15);
                v7 = v7.lanewise(VectorOperators.XOR, v11).lanewise(VectorOperators.ROR, 12);
                v3 = v3.add(v7).add(m7);
                v15 = v15.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.ROR, 8);
                v11 = v11.add(v15);
                v7 = v7.lanewise(VectorOperators.XOR, v11).lanewise(VectorOperators.ROR, 7);

                v0 = v0.add(v5).add(m8);
                v15 = v15.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.ROR, 16);
                v10 = v10.add(v15);
                v5 = v5.lanewise(VectorOperators.XOR, v10).lanewise(VectorOperators.ROR, 12);
                v0 = v0.add(v5).add(m9);
                v15 = v15.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.ROR, 8);
                v10 = v10.add(v15);
                v5 = v5.lanewise(VectorOperators.XOR, v10).lanewise(VectorOperators.ROR, 7);

                v1 = v1.add(v6).add(m10);
                v12 = v12.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.ROR, 16);
                v11 = v11.add(v12);
                v6 = v6.lanewise(VectorOperators.XOR, v11).lanewise(VectorOperators.ROR, 12);
                v1 = v1.add(v6).add(m11);
                v12 = v12.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.ROR, 8);
                v11 = v11.add(v12);
                v6 = v6.lanewise(VectorOperators.XOR, v11).lanewise(VectorOperators.ROR, 7);

                v2 = v2.add(v7).add(m12);
                v13 = v13.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.ROR, 16);
                v8 = v8.add(v13);
                v7 = v7.lanewise(VectorOperators.XOR, v8).lanewise(VectorOperators.ROR, 12);
                v2 = v2.add(v7).add(m13);
                v13 = v13.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.ROR, 8);
                v8 = v8.add(v13);
                v7 = v7.lanewise(VectorOperators.XOR, v8).lanewise(VectorOperators.ROR, 7);

                v3 = v3.add(v4).add(m14);
                v14 = v14.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.ROR, 16);
                v9 = v9.add(v14);
                v4 = v4.lanewise(VectorOperators.XOR, v9).lanewise(VectorOperators.ROR, 12);
                v3 = v3.add(v4).add(m15);
                v14 = v14.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.ROR, 8);
                v9 = v9.add(v14);
                v4 = v4.lanewise(VectorOperators.XOR, v9).lanewise(VectorOperators.ROR, 7);

                // The message permutation (paper, table 2), as a renaming: m'[i] = m[PERM[i]].
                IntVector t0 = m2;
                IntVector t1 = m6;
                IntVector t2 = m3;
                IntVector t3 = m10;
                IntVector t4 = m7;
                IntVector t5 = m0;
                IntVector t6 = m4;
                IntVector t7 = m13;
                IntVector t8 = m1;
                IntVector t9 = m11;
                IntVector t10 = m12;
                IntVector t11 = m5;
                IntVector t12 = m9;
                IntVector t13 = m14;
                IntVector t14 = m15;
                IntVector t15 = m8;
                m0 = t0;
                m1 = t1;
                m2 = t2;
                m3 = t3;
                m4 = t4;
                m5 = t5;
                m6 = t6;
                m7 = t7;
                m8 = t8;
                m9 = t9;
                m10 = t10;
                m11 = t11;
                m12 = t12;
                m13 = t13;
                m14 = t14;
                m15 = t15;
            }
            h0 = v0.lanewise(VectorOperators.XOR, v8);
            h1 = v1.lanewise(VectorOperators.XOR, v9);
            h2 = v2.lanewise(VectorOperators.XOR, v10);
            h3 = v3.lanewise(VectorOperators.XOR, v11);
            h4 = v4.lanewise(VectorOperators.XOR, v12);
            h5 = v5.lanewise(VectorOperators.XOR, v13);
            h6 = v6.lanewise(VectorOperators.XOR, v14);
            h7 = v7.lanewise(VectorOperators.XOR, v15);
        }
        // Transpose back: word i of chunk l goes to cvOut[cvOff + 8 * l + i].
        h0.intoArray(words, 0);
        h1.intoArray(words, LANES);
        h2.intoArray(words, 2 * LANES);
        h3.intoArray(words, 3 * LANES);
        h4.intoArray(words, 4 * LANES);
        h5.intoArray(words, 5 * LANES);
        h6.intoArray(words, 6 * LANES);
        h7.intoArray(words, 7 * LANES);
        for (int l = 0; l < LANES; l++) {
            for (int i = 0; i < 8; i++) {
                cvOut[cvOff + 8 * l + i] = words[i * LANES + l];
            }
        }
    }
}
