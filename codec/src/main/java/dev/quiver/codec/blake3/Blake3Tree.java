package dev.quiver.codec.blake3;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * BLAKE3's hash tree cut at <em>chunk groups</em>, for verified streaming: a receiver checks every group of
 * {@code 2^groupLog} chunks (16 KiB by default) against the root hash as it arrives, using the chaining values of
 * the group's siblings on the way up (its <em>proof</em>).
 *
 * <p>Groups are aligned subtrees of the chunk tree, so the tree above them has BLAKE3's own shape (paper, section
 * 2.1): a node over {@code n > 1} groups has a left subtree of the largest power of two {@code < n} groups and a
 * right subtree of the rest. For 5 groups:
 * <pre>
 *                 root                  pre-order index 0
 *               /      \
 *            p1         g4              p1: index 1
 *          /    \
 *        p2      p3                     p2: index 2, p3: index 3
 *       /  \    /  \
 *      g0  g1  g2  g3                   (last group may be partial)
 * </pre>
 *
 * <p><b>Outboard</b>: every parent node's two children's chaining values, {@code left CV || right CV} (64 bytes),
 * in pre-order (node, then its left subtree, then its right subtree; the order of Bao, without Bao's length
 * header): {@code (groupCount - 1) * 64} bytes. Above: {@code [root: p1 | g4] [p1: p2 | p3] [p2: g0 | g1]
 * [p3: g2 | g3]}. The root node's entry comes first, so the root hash follows from the first 64 bytes.
 *
 * <p><b>Proof</b> of group {@code g}: the chaining values of the siblings on its path, bottom-up, 32 bytes each.
 * For g2 above: {@code g3 | p2 | g4}.
 *
 * <p>A message of one group (up to 16 KiB by default, including the empty message) has no parents: its root hash
 * is the plain hash of the group, and its proof is empty.
 *
 * <p>This class covers plain (unkeyed) hashing; the static primitives take any key and mode flags. Immutable and
 * thread-safe.
 */
public final class Blake3Tree {

    /** log2 of the chunks per group by default: 16 chunks, 16 KiB. */
    public static final int DEFAULT_GROUP_LOG = 4;

    private static final int CV_LEN = Blake3Flags.OUT_LEN;

    private final long length;
    private final int groupLog;
    private final long groupCount;
    private final Blake3Kernel kernel;

    private Blake3Tree(long length, int groupLog, Blake3Kernel kernel) {
        if (length < 0) {
            throw new IllegalArgumentException("message length must be non-negative: " + length);
        }
        if (groupLog < 0 || groupLog > 20) {
            throw new IllegalArgumentException("groupLog must be in [0, 20] (1 KiB to 1 GiB groups): " + groupLog);
        }
        this.length = length;
        this.groupLog = groupLog;
        long groupSize = (long) Blake3Flags.CHUNK_LEN << groupLog;
        this.groupCount = length == 0 ? 1 : (length - 1) / groupSize + 1;
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /** The tree of a message of {@code length} bytes with 16 KiB groups, on {@link Blake3#kernel()}. */
    public static Blake3Tree of(long length) {
        return new Blake3Tree(length, DEFAULT_GROUP_LOG, Blake3.kernel());
    }

    /** The tree of a message of {@code length} bytes with groups of {@code 2^groupLog} chunks, on {@code kernel}. */
    public static Blake3Tree of(long length, int groupLog, Blake3Kernel kernel) {
        return new Blake3Tree(length, groupLog, kernel);
    }

    /** The message length in bytes. */
    public long length() {
        return length;
    }

    /** log2 of the chunks per group. */
    public int groupLog() {
        return groupLog;
    }

    /** Bytes per group ({@code 1024 << groupLog}); the last group may be shorter. */
    public long groupSize() {
        return (long) Blake3Flags.CHUNK_LEN << groupLog;
    }

    /** The number of groups, at least 1 (the empty message is one empty group). */
    public long groupCount() {
        return groupCount;
    }

    /** The byte offset of group {@code groupIndex} in the message. */
    public long groupOffset(long groupIndex) {
        Objects.checkIndex(groupIndex, groupCount);
        return groupIndex * groupSize();
    }

    /** The length in bytes of group {@code groupIndex}: {@link #groupSize()} except maybe for the last. */
    public int groupLength(long groupIndex) {
        long offset = groupOffset(groupIndex);
        return (int) Math.min(groupSize(), length - offset);
    }

    /** The outboard's size in bytes: 64 per parent node. */
    public long outboardSize() {
        return (groupCount - 1) * 2 * CV_LEN;
    }

    /** The proof's size in bytes for {@code groupIndex}: 32 per level above the group. */
    public int proofSize(long groupIndex) {
        return depth(groupIndex) * CV_LEN;
    }

    /**
     * Writes the (non-root) chaining value of group {@code groupIndex}, whose bytes are
     * {@code group[off, off + groupLength(groupIndex))}, to {@code cvOut[cvOff, cvOff + 32)}. Only for trees of
     * more than one group: a lone group is the root, see {@link #verifyGroup}.
     */
    public void groupChainingValue(long groupIndex, byte[] group, int off, byte[] cvOut, int cvOff) {
        requireParents();
        int len = groupLength(groupIndex);
        Objects.checkFromIndexSize(off, len, group.length);
        kernel.subtreeChainingValue(Blake3Compress.IV, 0, group, off, len, groupIndex << groupLog, cvOut, cvOff);
    }

    /**
     * The chaining value of the parent of two sibling subtrees (left then right), for key words {@code keyWords}
     * and mode flags {@code flags} (0 for plain hashing): {@code out[outOff, outOff + 32)}.
     */
    public static void parentChainingValue(byte[] left, int leftOff, byte[] right, int rightOff, int[] keyWords,
                                           int flags, byte[] out, int outOff) {
        JavaBlake3Kernel.checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(outOff, CV_LEN, out.length);
        int[] words = parentBlock(left, leftOff, right, rightOff);
        Blake3Compress.compressWords(keyWords, 0, words, 0, 0, Blake3Flags.BLOCK_LEN, flags | Blake3Flags.PARENT,
                words, 0, false);
        JavaBlake3Kernel.storeCv(words, 0, out, outOff);
    }

    /** The plain-hashing parent chaining value of two 32-byte sibling chaining values. */
    public static byte[] parentChainingValue(byte[] left, byte[] right) {
        byte[] out = new byte[CV_LEN];
        parentChainingValue(left, 0, right, 0, Blake3Compress.IV, 0, out, 0);
        return out;
    }

    /**
     * Writes {@code outLen} bytes of the root hash whose root node is the parent of the two top-level subtrees'
     * chaining values, for key words {@code keyWords} and mode flags {@code flags}.
     */
    public static void rootHash(byte[] left, int leftOff, byte[] right, int rightOff, int[] keyWords, int flags,
                                byte[] out, int outOff, int outLen) {
        JavaBlake3Kernel.checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        Blake3Output root = new Blake3Output();
        root.setParent(keyWords, parentBlock(left, leftOff, right, rightOff), 0, flags);
        root.write(0, out, outOff, outLen);
    }

    /** {@code outLen} bytes of the plain hash whose root node is the parent of {@code left} and {@code right}. */
    public static byte[] rootHash(byte[] left, byte[] right, int outLen) {
        if (outLen < 0) {
            throw new IllegalArgumentException("outLen must be non-negative: " + outLen);
        }
        byte[] out = new byte[outLen];
        rootHash(left, 0, right, 0, Blake3Compress.IV, 0, out, 0, outLen);
        return out;
    }

    private static int[] parentBlock(byte[] left, int leftOff, byte[] right, int rightOff) {
        Objects.checkFromIndexSize(leftOff, CV_LEN, left.length);
        Objects.checkFromIndexSize(rightOff, CV_LEN, right.length);
        int[] words = new int[16];
        JavaBlake3Kernel.loadCv(left, leftOff, words, 0);
        JavaBlake3Kernel.loadCv(right, rightOff, words, 8);
        return words;
    }

    /** The outboard (see the class comment) of {@code message}, which must be {@link #length()} bytes. */
    public byte[] outboard(byte[] message) {
        return outboard(MemorySegment.ofArray(message));
    }

    /** The outboard (see the class comment) of {@code message}, which must be {@link #length()} bytes. */
    public byte[] outboard(MemorySegment message) {
        if (message.byteSize() != length) {
            throw new IllegalArgumentException("message is " + message.byteSize() + " bytes, tree is for " + length);
        }
        long size = outboardSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("outboard of " + size + " bytes does not fit a byte[]; use larger groups");
        }
        byte[] outboard = new byte[(int) size];
        if (groupCount > 1) {
            byte[] cv = new byte[CV_LEN];
            writeNode(message, outboard, 0, 0, groupCount, cv);
        }
        return outboard;
    }

    /**
     * Writes the outboard entries of the subtree over groups {@code [lo, lo + n)}, whose node sits at pre-order
     * index {@code index}, and its chaining value to {@code cvOut}.
     */
    private void writeNode(MemorySegment message, byte[] outboard, long index, long lo, long n, byte[] cvOut) {
        if (n == 1) {
            long offset = lo * groupSize();
            MemorySegment group = message.asSlice(offset, Math.min(groupSize(), length - offset));
            kernel.subtreeChainingValue(Blake3Compress.IV, 0, group, lo << groupLog, cvOut, 0);
            return;
        }
        long left = Long.highestOneBit(n - 1);
        int entry = Math.toIntExact(index * 2 * CV_LEN);
        byte[] leftCv = new byte[CV_LEN];
        byte[] rightCv = new byte[CV_LEN];
        writeNode(message, outboard, index + 1, lo, left, leftCv);
        writeNode(message, outboard, index + left, lo + left, n - left, rightCv);
        System.arraycopy(leftCv, 0, outboard, entry, CV_LEN);
        System.arraycopy(rightCv, 0, outboard, entry + CV_LEN, CV_LEN);
        parentChainingValue(leftCv, 0, rightCv, 0, Blake3Compress.IV, 0, cvOut, 0);
    }

    /** The 32-byte root hash that {@code outboard} commits to (for trees of more than one group). */
    public byte[] rootHash(byte[] outboard) {
        requireParents();
        checkOutboard(outboard);
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        rootHash(outboard, 0, outboard, CV_LEN, Blake3Compress.IV, 0, out, 0, out.length);
        return out;
    }

    /** The proof of group {@code groupIndex} (see the class comment), read from {@code outboard}. */
    public byte[] proof(byte[] outboard, long groupIndex) {
        checkOutboard(outboard);
        int depth = depth(groupIndex);
        byte[] proof = new byte[depth * CV_LEN];
        long index = 0;
        long lo = 0;
        long n = groupCount;
        for (int level = depth - 1; level >= 0; level--) {
            long left = Long.highestOneBit(n - 1);
            int entry = Math.toIntExact(index * 2 * CV_LEN);
            if (groupIndex < lo + left) {
                System.arraycopy(outboard, entry + CV_LEN, proof, level * CV_LEN, CV_LEN);
                index += 1;
                n = left;
            } else {
                System.arraycopy(outboard, entry, proof, level * CV_LEN, CV_LEN);
                index += left;
                lo += left;
                n -= left;
            }
        }
        return proof;
    }

    /**
     * Whether {@code group[off, off + len)} is exactly group {@code groupIndex} of the message whose 32-byte plain
     * hash is {@code rootHash}, given the group's {@code proof}. Wrong length or wrong proof size is simply
     * {@code false}: the bytes came from a peer.
     */
    public boolean verifyGroup(byte[] rootHash, long groupIndex, byte[] group, int off, int len, byte[] proof) {
        Objects.checkFromIndexSize(off, len, group.length);
        Objects.checkIndex(groupIndex, groupCount);
        if (rootHash.length != Blake3Flags.OUT_LEN || len != groupLength(groupIndex)) {
            return false;
        }
        int depth = depth(groupIndex);
        if (proof.length != depth * CV_LEN) {
            return false;
        }
        byte[] computed = new byte[Blake3Flags.OUT_LEN];
        if (depth == 0) {
            kernel.hash(Blake3Compress.IV, 0, group, off, len, computed, 0, computed.length);
            return MessageDigest.isEqual(computed, rootHash);
        }
        byte[] cv = new byte[CV_LEN];
        groupChainingValue(groupIndex, group, off, cv, 0);
        long leftBits = pathBits(groupIndex);
        for (int level = 0; level < depth; level++) {
            // Bit `level` of leftBits (counted bottom-up) says whether our side is the left child there.
            boolean left = (leftBits >>> level & 1) != 0;
            byte[] l = left ? cv : proof;
            int lOff = left ? 0 : level * CV_LEN;
            byte[] r = left ? proof : cv;
            int rOff = left ? level * CV_LEN : 0;
            if (level == depth - 1) {
                rootHash(l, lOff, r, rOff, Blake3Compress.IV, 0, computed, 0, computed.length);
            } else {
                parentChainingValue(l, lOff, r, rOff, Blake3Compress.IV, 0, cv, 0);
            }
        }
        return MessageDigest.isEqual(computed, rootHash);
    }

    /** The number of parents above group {@code groupIndex}. */
    private int depth(long groupIndex) {
        Objects.checkIndex(groupIndex, groupCount);
        int depth = 0;
        long lo = 0;
        for (long n = groupCount; n > 1; depth++) {
            long left = Long.highestOneBit(n - 1);
            if (groupIndex < lo + left) {
                n = left;
            } else {
                lo += left;
                n -= left;
            }
        }
        return depth;
    }

    /** Bit {@code i} (bottom-up level) set when the group's side at that level is the left child. */
    private long pathBits(long groupIndex) {
        int depth = depth(groupIndex);
        long bits = 0;
        long lo = 0;
        long n = groupCount;
        for (int level = depth - 1; level >= 0; level--) {
            long left = Long.highestOneBit(n - 1);
            if (groupIndex < lo + left) {
                bits |= 1L << level;
                n = left;
            } else {
                lo += left;
                n -= left;
            }
        }
        return bits;
    }

    private void requireParents() {
        if (groupCount == 1) {
            throw new IllegalStateException("a message of one group has no parents: its group is the root; hash it");
        }
    }

    private void checkOutboard(byte[] outboard) {
        if (outboard.length != outboardSize()) {
            throw new IllegalArgumentException("outboard is " + outboard.length + " bytes, expected " + outboardSize());
        }
    }
}
