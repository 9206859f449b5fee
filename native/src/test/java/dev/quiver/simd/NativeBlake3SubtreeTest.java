package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Subtree chaining values compose into BLAKE3's tree: the root over the two top subtrees' chaining values equals
 * BouncyCastle's hash of the whole message, for messages split as the tree splits them (left: the largest power of
 * two of chunks), and for messages cut into many equal aligned subtrees.
 */
@Timeout(120)
class NativeBlake3SubtreeTest {
    private static final int CHUNK = Blake3Flags.CHUNK_LEN;
    private static final byte[] DATA = new byte[(1 << 20) + 3 * CHUNK + 17];
    private static final byte[] KEY = new byte[32];

    static {
        Random random = new Random(0xC0FFEE);
        random.nextBytes(DATA);
        random.nextBytes(KEY);
    }

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void rootOverTheTwoTopSubtreesIsTheHash(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        int[] keyed = Blake3TestSupport.keyWords(KEY);
        int[] lengths = {1025, 2048, 2049, 3 * CHUNK, 5 * CHUNK - 1, 8 * CHUNK, 17 * CHUNK + 5, 64 * CHUNK,
            64 * CHUNK + 1, 100 * CHUNK, 129 * CHUNK - 3, (1 << 20), (1 << 20) + 1, DATA.length - 6};
        for (int length : lengths) {
            long chunks = (length + CHUNK - 1) / CHUNK;
            int leftChunks = (int) Long.highestOneBit(chunks - 1);
            int leftLen = leftChunks * CHUNK;
            int off = 1 + length % 5; // unaligned
            for (boolean useKey : new boolean[] {false, true}) {
                int[] key = useKey ? keyed : Blake3TestSupport.IV;
                int flags = useKey ? Blake3Flags.KEYED_HASH : 0;
                byte[] left = new byte[32];
                byte[] right = new byte[40];
                kernel.subtreeChainingValue(key, flags, DATA, off, leftLen, 0, left, 0);
                kernel.subtreeChainingValue(key, flags, DATA, off + leftLen, length - leftLen, leftChunks, right, 8);
                byte[] root = Blake3TestSupport.rootOfParent(key, flags, left, Arrays.copyOfRange(right, 8, 40), 32);
                byte[] expected = Blake3TestSupport.reference(useKey ? KEY : null, null, DATA, off, length, 32);
                assertArrayEquals(expected, root, () -> kernel.name() + " length " + length + " keyed " + useKey);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void equalAlignedSubtreesComposeLevelByLevel(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        // 1 MiB as 2^k subtrees of 2^(10-k) chunks each, k = 1..10, then combined pairwise up to the root.
        int length = 1 << 20;
        byte[] expected = Blake3TestSupport.reference(null, null, DATA, 0, length, 32);
        for (int pieces = 2; pieces <= 1024; pieces *= 4) {
            int pieceLen = length / pieces;
            byte[][] cvs = new byte[pieces][];
            for (int i = 0; i < pieces; i++) {
                cvs[i] = new byte[32];
                MemorySegment piece = MemorySegment.ofArray(DATA).asSlice((long) i * pieceLen, pieceLen);
                kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, piece, (long) i * pieceLen / CHUNK, cvs[i], 0);
            }
            while (cvs.length > 2) {
                byte[][] up = new byte[cvs.length / 2][];
                for (int i = 0; i < up.length; i++) {
                    up[i] = Blake3TestSupport.parentCv(Blake3TestSupport.IV, 0, cvs[2 * i], cvs[2 * i + 1]);
                }
                cvs = up;
            }
            int n = pieces;
            assertArrayEquals(expected, Blake3TestSupport.rootOfParent(Blake3TestSupport.IV, 0, cvs[0], cvs[1], 32),
                    () -> kernel.name() + " with " + n + " pieces");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void chunkCounterEntersTheChainingValue(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        byte[] at0 = new byte[32];
        byte[] at4 = new byte[32];
        byte[] high = new byte[32];
        kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, 4 * CHUNK, 0, at0, 0);
        kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, 4 * CHUNK, 4, at4, 0);
        // Above 2^32 chunks the counter's high word is used: lanes must carry it too.
        kernel.subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, 4 * CHUNK, 1L << 32, high, 0);
        assertFalse(Arrays.equals(at0, at4));
        assertFalse(Arrays.equals(at0, high));
        // ... and every tier agrees on it with the portable one.
        byte[] portable = new byte[32];
        Simd.blake3(Isa.PORTABLE).orElseThrow()
                .subtreeChainingValue(Blake3TestSupport.IV, 0, DATA, 0, 4 * CHUNK, 1L << 32, portable, 0);
        assertEquals(java.util.HexFormat.of().formatHex(portable), java.util.HexFormat.of().formatHex(high));
    }
}
