package dev.quiver.codec.blake3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class Blake3TreeTest {
    private static final int G = 16 * 1024;

    /** Lengths around group boundaries, partial last groups, and non-power-of-two group counts. */
    private static final long[] LENGTHS = {G + 1, 2L * G, 2L * G + 1, 3L * G - 1, 3L * G, 4L * G + 1024, 5L * G + 7,
        7L * G, 8L * G, 9L * G + 1, 13L * G + 5000, 16L * G, 33L * G + 1};

    private static byte[] random(long len, long seed) {
        byte[] b = new byte[(int) len];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Root from group CVs by the tree shape, independently of the class's own outboard code. */
    private static byte[] cvOf(Blake3Tree tree, byte[] msg, long lo, long n) {
        if (n == 1) {
            byte[] cv = new byte[32];
            tree.groupChainingValue(lo, msg, (int) tree.groupOffset(lo), cv, 0);
            return cv;
        }
        long left = Long.highestOneBit(n - 1);
        return Blake3Tree.parentChainingValue(cvOf(tree, msg, lo, left), cvOf(tree, msg, lo + left, n - left));
    }

    @Test
    void groupChainingValuesAndParentsGiveTheHash() {
        for (int groupLog : new int[] {0, 2, 4}) {
            for (long len : LENGTHS) {
                byte[] msg = random(len, len * 31 + groupLog);
                Blake3Tree tree = Blake3Tree.of(len, groupLog, JavaBlake3Kernel.INSTANCE);
                long n = tree.groupCount();
                assertTrue(n > 1);
                long left = Long.highestOneBit(n - 1);
                byte[] root = Blake3Tree.rootHash(cvOf(tree, msg, 0, left), cvOf(tree, msg, left, n - left), 32);
                assertArrayEquals(Blake3.hash(msg), root, "len " + len + " groupLog " + groupLog);
                byte[] longRoot = Blake3Tree.rootHash(cvOf(tree, msg, 0, left), cvOf(tree, msg, left, n - left), 99);
                byte[] longHash = new byte[99];
                Blake3.hash(msg, 0, msg.length, longHash, 0, 99);
                assertArrayEquals(longHash, longRoot, "extended root, len " + len);
            }
        }
    }

    @Test
    void geometry() {
        Blake3Tree tree = Blake3Tree.of(5L * G + 7);
        assertEquals(6, tree.groupCount());
        assertEquals(G, tree.groupSize());
        assertEquals(7, tree.groupLength(5));
        assertEquals(G, tree.groupLength(4));
        assertEquals(5L * G, tree.groupOffset(5));
        assertEquals(5 * 64, tree.outboardSize());
        assertEquals(1, Blake3Tree.of(0).groupCount());
        assertEquals(1, Blake3Tree.of(G).groupCount());
        assertEquals(2, Blake3Tree.of(G + 1).groupCount());
        // 6 groups: [0..4) under a left subtree of 4, [4..6) on the right: groups 0-3 sit 3 deep, 4-5 sit 2 deep.
        assertEquals(3 * 32, tree.proofSize(0));
        assertEquals(2 * 32, tree.proofSize(5));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.groupLength(6));
        assertThrows(IllegalArgumentException.class, () -> Blake3Tree.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Blake3Tree.of(10, 21, JavaBlake3Kernel.INSTANCE));
    }

    @Test
    void outboardIsPreOrderAndCommitsToTheHash() {
        byte[] msg = random(5L * G + 7, 5);
        Blake3Tree tree = Blake3Tree.of(msg.length);
        byte[] outboard = tree.outboard(msg);
        assertEquals(tree.outboardSize(), outboard.length);
        assertArrayEquals(Blake3.hash(msg), tree.rootHash(outboard));
        // 6 groups, pre-order: [root: p(0..4) | p(4..6)] [p(0..4): p(0,1) | p(2,3)] [p(0,1): g0 | g1] [p(2,3): g2 | g3]
        // [p(4..6): g4 | g5].
        byte[] g0 = cvOf(tree, msg, 0, 1);
        byte[] g1 = cvOf(tree, msg, 1, 1);
        byte[] g4 = cvOf(tree, msg, 4, 1);
        byte[] g5 = cvOf(tree, msg, 5, 1);
        assertArrayEquals(cvOf(tree, msg, 0, 4), Arrays.copyOfRange(outboard, 0, 32));
        assertArrayEquals(cvOf(tree, msg, 4, 2), Arrays.copyOfRange(outboard, 32, 64));
        assertArrayEquals(g0, Arrays.copyOfRange(outboard, 128, 160));
        assertArrayEquals(g1, Arrays.copyOfRange(outboard, 160, 192));
        assertArrayEquals(g4, Arrays.copyOfRange(outboard, 256, 288));
        assertArrayEquals(g5, Arrays.copyOfRange(outboard, 288, 320));
    }

    @Test
    void everyGroupVerifiesAndAFlippedByteFailsExactlyItsGroup() {
        for (long len : LENGTHS) {
            byte[] msg = random(len, len);
            Blake3Tree tree = Blake3Tree.of(len);
            byte[] outboard = tree.outboard(msg);
            byte[] root = Blake3.hash(msg);
            Random random = new Random(len);
            long victim = random.nextInt((int) tree.groupCount());
            byte[] bad = msg.clone();
            int at = (int) (tree.groupOffset(victim) + random.nextInt(tree.groupLength(victim)));
            bad[at] ^= (byte) (1 << random.nextInt(8));
            for (long g = 0; g < tree.groupCount(); g++) {
                byte[] proof = tree.proof(outboard, g);
                assertEquals(tree.proofSize(g), proof.length);
                int off = (int) tree.groupOffset(g);
                int glen = tree.groupLength(g);
                assertTrue(tree.verifyGroup(root, g, msg, off, glen, proof), "len " + len + " group " + g);
                assertEquals(g != victim, tree.verifyGroup(root, g, bad, off, glen, proof),
                        "len " + len + " group " + g + " flipped byte in group " + victim);
            }
        }
    }

    @Test
    void wrongProofRootOrLengthFails() {
        byte[] msg = random(9L * G + 1, 9);
        Blake3Tree tree = Blake3Tree.of(msg.length);
        byte[] outboard = tree.outboard(msg);
        byte[] root = Blake3.hash(msg);
        byte[] proof = tree.proof(outboard, 3);
        int off = (int) tree.groupOffset(3);
        assertTrue(tree.verifyGroup(root, 3, msg, off, G, proof));
        for (int i = 0; i < proof.length; i += 17) {
            byte[] badProof = proof.clone();
            badProof[i] ^= 1;
            assertFalse(tree.verifyGroup(root, 3, msg, off, G, badProof), "proof byte " + i);
        }
        byte[] badRoot = root.clone();
        badRoot[31] ^= (byte) 0x80;
        assertFalse(tree.verifyGroup(badRoot, 3, msg, off, G, proof));
        assertFalse(tree.verifyGroup(root, 3, msg, off, G - 1, proof), "short group");
        assertFalse(tree.verifyGroup(root, 3, msg, off, G, Arrays.copyOf(proof, proof.length - 32)), "short proof");
        assertFalse(tree.verifyGroup(root, 4, msg, off, G, proof), "someone else's group");
        assertFalse(tree.verifyGroup(Arrays.copyOf(root, 16), 3, msg, off, G, proof), "short root");
    }

    @Test
    void singleGroupMessagesAreTheirOwnRoot() {
        for (int len : new int[] {0, 1, 1024, 1025, G - 1, G}) {
            byte[] msg = random(len, len);
            Blake3Tree tree = Blake3Tree.of(len);
            assertEquals(1, tree.groupCount());
            byte[] outboard = tree.outboard(msg);
            assertEquals(0, outboard.length);
            byte[] proof = tree.proof(outboard, 0);
            assertEquals(0, proof.length);
            assertTrue(tree.verifyGroup(Blake3.hash(msg), 0, msg, 0, len, proof), "len " + len);
            if (len > 0) {
                byte[] bad = msg.clone();
                bad[len / 2] ^= 4;
                assertFalse(tree.verifyGroup(Blake3.hash(msg), 0, bad, 0, len, proof), "len " + len);
            }
            assertThrows(IllegalStateException.class, () -> tree.groupChainingValue(0, msg, 0, new byte[32], 0));
            assertThrows(IllegalStateException.class, () -> tree.rootHash(outboard));
        }
    }

    @Test
    void keyedPrimitivesMatchKeyedHash() {
        byte[] key = random(32, 77);
        int[] keyWords = Blake3.keyWords(key);
        byte[] msg = random(3L * G + 5, 78);
        Blake3Kernel k = JavaBlake3Kernel.INSTANCE;
        byte[] left = new byte[32];
        byte[] right = new byte[32];
        k.subtreeChainingValue(keyWords, Blake3Flags.KEYED_HASH, msg, 0, 2 * G, 0, left, 0);
        k.subtreeChainingValue(keyWords, Blake3Flags.KEYED_HASH, msg, 2 * G, G + 5, 32, right, 0);
        byte[] root = new byte[40];
        Blake3Tree.rootHash(left, 0, right, 0, keyWords, Blake3Flags.KEYED_HASH, root, 0, 40);
        byte[] want = new byte[40];
        Blake3.keyedHash(key, msg, 0, msg.length, want, 0, 40);
        assertArrayEquals(want, root);
    }

    @Test
    void rejectsBadArguments() {
        byte[] msg = random(3L * G, 1);
        Blake3Tree tree = Blake3Tree.of(msg.length);
        byte[] outboard = tree.outboard(msg);
        assertThrows(IllegalArgumentException.class, () -> tree.outboard(new byte[10]));
        assertThrows(IllegalArgumentException.class, () -> tree.proof(new byte[10], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.proof(outboard, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.proof(outboard, -1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> tree.groupChainingValue(0, new byte[G - 1], 0, new byte[32], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.groupChainingValue(0, msg, 0, new byte[31], 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> tree.verifyGroup(new byte[32], 0, msg, msg.length - 5, G, new byte[64]));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3Tree.parentChainingValue(new byte[31], new byte[32]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Blake3Tree.rootHash(new byte[32], 0, new byte[32], 1, Blake3.ivWords(), 0, new byte[32], 0, 32));
        assertThrows(IllegalArgumentException.class, () -> Blake3Tree.rootHash(new byte[32], new byte[32], -1));
    }
}
