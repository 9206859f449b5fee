package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.simd.ffm.quiver_h;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * BLAKE3 through Quiver's C kernels of one ISA tier ({@code qv_blake3_*} in {@code quiver.h}). Every argument is
 * checked here, before the downcall, so no argument can make native code touch memory it should not. Stateless and
 * thread-safe; obtain instances from {@link Simd}.
 */
public final class NativeBlake3Kernel implements Blake3Kernel {
    private static final int KEY_WORDS = Blake3Flags.KEY_LEN / Integer.BYTES;
    private static final int ALLOWED_FLAGS =
            Blake3Flags.KEYED_HASH | Blake3Flags.DERIVE_KEY_CONTEXT | Blake3Flags.DERIVE_KEY_MATERIAL;

    /**
     * The most input one downcall hashes (a power of two, so larger inputs split into aligned subtrees). Critical
     * downcalls hold off safepoints, and so every other thread's GC, until they return: 1 MiB keeps that under a
     * millisecond, while the per-call cost (a few ns) stays invisible next to the ~0.4 ms of hashing.
     */
    static final long MAX_BYTES_PER_DOWNCALL = 1L << 20;

    private final Isa tier;
    private final String name;

    NativeBlake3Kernel(Isa tier) {
        this.tier = tier;
        this.name = "native-" + tier.tierName();
    }

    /** The tier whose kernels this instance calls. */
    public Isa tier() {
        return tier;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void hash(int[] keyWords, int flags, byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        hashChecked(keyWords, flags, MemorySegment.ofArray(in).asSlice(inOff, inLen), out, outOff, outLen);
    }

    @Override
    public void hash(int[] keyWords, int flags, MemorySegment in, byte[] out, int outOff, int outLen) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        hashChecked(keyWords, flags, in, out, outOff, outLen);
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, byte[] in, int inOff, int inLen, long chunkCounter,
                                     byte[] cvOut, int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(inLen, chunkCounter);
        subtreeChecked(keyWords, flags, MemorySegment.ofArray(in).asSlice(inOff, inLen), chunkCounter, cvOut, cvOff);
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] cvOut,
                                     int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(in.byteSize(), chunkCounter);
        subtreeChecked(keyWords, flags, in, chunkCounter, cvOut, cvOff);
    }

    private void hashChecked(int[] keyWords, int flags, MemorySegment in, byte[] out, int outOff, int outLen) {
        if (in.byteSize() <= MAX_BYTES_PER_DOWNCALL) {
            int code = quiver_h.qv_blake3_hash(tier.id(), MemorySegment.ofArray(keyWords), flags, in, in.byteSize(),
                    MemorySegment.ofArray(out).asSlice(outOff, outLen), outLen);
            NativeErrors.check(code, "qv_blake3_hash");
            return;
        }
        byte[] children = new byte[2 * Blake3Flags.OUT_LEN];
        topChildren(keyWords, flags, in, 0, children);
        Blake3Tree.rootHash(children, 0, children, Blake3Flags.OUT_LEN, keyWords, flags, out, outOff, outLen);
    }

    private void subtreeChecked(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] cvOut,
                                int cvOff) {
        if (in.byteSize() <= MAX_BYTES_PER_DOWNCALL) {
            int code = quiver_h.qv_blake3_subtree_cv(tier.id(), MemorySegment.ofArray(keyWords), flags, in,
                    in.byteSize(), chunkCounter, MemorySegment.ofArray(cvOut).asSlice(cvOff, Blake3Flags.OUT_LEN));
            NativeErrors.check(code, "qv_blake3_subtree_cv");
            return;
        }
        byte[] children = new byte[2 * Blake3Flags.OUT_LEN];
        topChildren(keyWords, flags, in, chunkCounter, children);
        Blake3Tree.parentChainingValue(children, 0, children, Blake3Flags.OUT_LEN, keyWords, flags, cvOut, cvOff);
    }

    /**
     * The chaining values of the top node's two children for an input of more than one chunk: the left child holds
     * the largest power of two of chunks that leaves the right one non-empty (BLAKE3 paper, section 2.1). Each
     * child is an aligned subtree, hashed natively when it fits one downcall, else split the same way.
     */
    private void topChildren(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] children) {
        long chunks = (in.byteSize() + Blake3Flags.CHUNK_LEN - 1) / Blake3Flags.CHUNK_LEN;
        long leftChunks = Long.highestOneBit(chunks - 1);
        long leftLen = leftChunks * Blake3Flags.CHUNK_LEN;
        subtreeChecked(keyWords, flags, in.asSlice(0, leftLen), chunkCounter, children, 0);
        subtreeChecked(keyWords, flags, in.asSlice(leftLen), chunkCounter + leftChunks, children, Blake3Flags.OUT_LEN);
    }

    private static void checkKeyAndFlags(int[] keyWords, int flags) {
        // C reads exactly the first eight words; longer arrays are fine, as in JavaBlake3Kernel.
        Objects.checkFromIndexSize(0, KEY_WORDS, keyWords.length);
        if (flags != 0 && (flags & ~ALLOWED_FLAGS) != 0 || Integer.bitCount(flags) > 1) {
            throw new IllegalArgumentException("flags must be 0, KEYED_HASH, DERIVE_KEY_CONTEXT or "
                    + "DERIVE_KEY_MATERIAL, not 0x" + Integer.toHexString(flags));
        }
    }

    /** BLAKE3 tree rules (Blake3Kernel#subtreeChainingValue): a non-empty subtree, aligned to its own size. */
    private static void checkSubtree(long inLen, long chunkCounter) {
        if (inLen <= 0) {
            throw new IllegalArgumentException("a subtree holds at least one byte, not " + inLen);
        }
        long chunks = (inLen + Blake3Flags.CHUNK_LEN - 1) / Blake3Flags.CHUNK_LEN;
        long span = chunks == 1 ? 1 : Long.highestOneBit(chunks - 1) << 1;
        if (chunkCounter < 0 || (chunkCounter & (span - 1)) != 0 || chunkCounter > Long.MAX_VALUE - span) {
            throw new IllegalArgumentException("chunkCounter " + chunkCounter + " must be a non-negative multiple of "
                    + span + " for a subtree of " + chunks + " chunks");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
