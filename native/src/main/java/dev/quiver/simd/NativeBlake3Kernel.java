package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
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
        int code = quiver_h.qv_blake3_hash(tier.id(), MemorySegment.ofArray(keyWords), flags,
                MemorySegment.ofArray(in).asSlice(inOff, inLen), inLen,
                MemorySegment.ofArray(out).asSlice(outOff, outLen), outLen);
        NativeErrors.check(code, "qv_blake3_hash");
    }

    @Override
    public void hash(int[] keyWords, int flags, MemorySegment in, byte[] out, int outOff, int outLen) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        int code = quiver_h.qv_blake3_hash(tier.id(), MemorySegment.ofArray(keyWords), flags, in, in.byteSize(),
                MemorySegment.ofArray(out).asSlice(outOff, outLen), outLen);
        NativeErrors.check(code, "qv_blake3_hash");
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, byte[] in, int inOff, int inLen, long chunkCounter,
                                     byte[] cvOut, int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(inLen, chunkCounter);
        int code = quiver_h.qv_blake3_subtree_cv(tier.id(), MemorySegment.ofArray(keyWords), flags,
                MemorySegment.ofArray(in).asSlice(inOff, inLen), inLen, chunkCounter,
                MemorySegment.ofArray(cvOut).asSlice(cvOff, Blake3Flags.OUT_LEN));
        NativeErrors.check(code, "qv_blake3_subtree_cv");
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] cvOut,
                                     int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(in.byteSize(), chunkCounter);
        int code = quiver_h.qv_blake3_subtree_cv(tier.id(), MemorySegment.ofArray(keyWords), flags, in,
                in.byteSize(), chunkCounter, MemorySegment.ofArray(cvOut).asSlice(cvOff, Blake3Flags.OUT_LEN));
        NativeErrors.check(code, "qv_blake3_subtree_cv");
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
