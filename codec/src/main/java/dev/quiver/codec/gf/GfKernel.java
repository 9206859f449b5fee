package dev.quiver.codec.gf;

import java.lang.foreign.MemorySegment;

/**
 * Bulk GF(2^8) arithmetic (polynomial x^8 + x^4 + x^3 + x + 1, 0x11B, the field of AES and of GFNI's
 * {@code GF2P8MULB}) over byte buffers. Implemented by Java scalar, Java Vector API and native SIMD tiers; every
 * tier writes identical bytes for identical arguments.
 *
 * <p>Coefficients are field elements 0..255 ({@code int} so callers need no casts; other values throw
 * {@link IllegalArgumentException}). Implementations check every offset and length
 * ({@link IndexOutOfBoundsException}) before touching memory. Source and destination ranges must not overlap
 * unless they are identical. Stateless and thread-safe.
 */
public interface GfKernel {

    /** Short name for logs and benchmark tables, such as {@code java-scalar} or {@code native-gfni}. */
    String name();

    /** {@code dst[dstOff + i] ^= c · src[srcOff + i]} for {@code i < len}. */
    void mulAdd(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len);

    /** {@code dst[dstOff + i] = c · src[srcOff + i]} for {@code i < len}. */
    void mul(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len);

    /**
     * {@code dst[dstOff + i] = Σ_j coeffs[coeffOff + j] · srcs[j][srcOff + i]} for {@code j < count},
     * {@code i < len}: several sources per pass, so the destination stays in registers.
     */
    void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count, byte[] dst, int dstOff, int len);

    /**
     * Matrix times sources: {@code dsts[r][dstOff + i] = Σ_j coeffs[r * count + j] · srcs[j][srcOff + i]} for
     * {@code r < rows}. The shape of an erasure-code encode (ISA-L's {@code ec_encode_data}); tiers may walk
     * several rows per pass.
     */
    default void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count,
                                byte[][] dsts, int dstOff, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            dotProduct(coeffs, r * count, srcs, srcOff, count, dsts[r], dstOff, len);
        }
    }

    /** {@code dst[dstOff + i] ^= c · src[srcOff + i]} over memory segments (heap or native). */
    void mulAdd(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len);

    /** {@code dst[dstOff + i] = c · src[srcOff + i]} over memory segments (heap or native). */
    void mul(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len);
}
