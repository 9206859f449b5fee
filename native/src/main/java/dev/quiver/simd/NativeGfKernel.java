package dev.quiver.simd;

import dev.quiver.codec.gf.GfChecks;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.simd.ffm.quiver_gf_h;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * GF(2^8) through Quiver's C kernels of one ISA tier ({@code qv_gf_*} in {@code quiver.h}): split-nibble
 * {@code VPSHUFB} on AVX2 and AVX-512BW, {@code GF2P8MULB} on GFNI, plain C on the portable tier. Every argument is
 * checked here, before the downcall, so no argument can make native code touch memory it should not. Stateless and
 * thread-safe; obtain instances from {@link Simd}.
 *
 * <p>Heap arrays reach C without a copy: critical downcalls admit heap segments as direct arguments only, so the
 * matrix kernel takes up to {@value #ROWS} destinations and {@value #SOURCES} sources as separate arguments, and
 * larger shapes become several calls (the first source block of a row block writes, the others accumulate).
 * Long buffers are cut into column ranges so that no call holds off safepoints (and every other thread's GC) for
 * much more than a millisecond.
 */
public final class NativeGfKernel implements GfKernel {
    private static final int ROWS = quiver_gf_h.QV_GF_MAX_ROWS;
    private static final int SOURCES = quiver_gf_h.QV_GF_MAX_SOURCES;

    /** Bytes one {@code mul}/{@code mulAdd} downcall covers: ~0.2 ms at AVX2 speed. */
    static final long MAX_BYTES_PER_DOWNCALL = 8L << 20;
    /** Source bytes (summed over the sources of a call) one matrix downcall covers: ~0.3 ms at AVX2 speed. */
    static final long MAX_SOURCE_BYTES_PER_DOWNCALL = 1L << 20;
    /** The narrowest column range of a matrix call, so wide matrices still make calls of useful length. */
    private static final int MIN_COLUMNS_PER_DOWNCALL = 16 * 1024;

    private final Isa tier;
    private final String name;

    NativeGfKernel(Isa tier) {
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
    public void mulAdd(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        checkCoefficient(c);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        mulChecked(true, c, MemorySegment.ofArray(src).asSlice(srcOff, len),
                MemorySegment.ofArray(dst).asSlice(dstOff, len));
    }

    @Override
    public void mul(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        checkCoefficient(c);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        mulChecked(false, c, MemorySegment.ofArray(src).asSlice(srcOff, len),
                MemorySegment.ofArray(dst).asSlice(dstOff, len));
    }

    @Override
    public void mulAdd(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        checkSegments(c, src, srcOff, dst, dstOff, len);
        mulChecked(true, c, src.asSlice(srcOff, len), dst.asSlice(dstOff, len));
    }

    @Override
    public void mul(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        checkSegments(c, src, srcOff, dst, dstOff, len);
        mulChecked(false, c, src.asSlice(srcOff, len), dst.asSlice(dstOff, len));
    }

    @Override
    public void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count,
                           byte[] dst, int dstOff, int len) {
        GfChecks.dotProduct(coeffs, coeffOff, srcs, srcOff, count, dst, dstOff, len);
        if (isSource(dst, srcs, count)) {
            // The kernels write a destination before every source block is read; the contract lets dst be a source.
            byte[] tmp = new byte[len];
            matrixChecked(coeffs, coeffOff, count, srcs, srcOff, count, new byte[][] {tmp}, 0, 1, len);
            System.arraycopy(tmp, 0, dst, dstOff, len);
            return;
        }
        matrixChecked(coeffs, coeffOff, count, srcs, srcOff, count, new byte[][] {dst}, dstOff, 1, len);
    }

    @Override
    public void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count,
                               byte[][] dsts, int dstOff, int rows, int len) {
        GfChecks.matrixMultiply(coeffs, srcs, srcOff, count, dsts, dstOff, rows, len);
        for (int r = 0; r < rows; r++) {
            if (isSource(dsts[r], srcs, count)) {
                // Row by row, as the interface's definition reads, when a destination is also a source.
                GfKernel.super.matrixMultiply(coeffs, srcs, srcOff, count, dsts, dstOff, rows, len);
                return;
            }
        }
        matrixChecked(coeffs, 0, count, srcs, srcOff, count, dsts, dstOff, rows, len);
    }

    private void mulChecked(boolean accumulate, int c, MemorySegment src, MemorySegment dst) {
        long len = src.byteSize();
        if (len <= MAX_BYTES_PER_DOWNCALL) { // the common case: no further slices
            mulDowncall(accumulate, c, src, dst, len);
            return;
        }
        for (long done = 0; done < len; done += MAX_BYTES_PER_DOWNCALL) {
            long n = Math.min(MAX_BYTES_PER_DOWNCALL, len - done);
            mulDowncall(accumulate, c, src.asSlice(done, n), dst.asSlice(done, n), n);
        }
    }

    private void mulDowncall(boolean accumulate, int c, MemorySegment src, MemorySegment dst, long n) {
        if (n == 0) {
            return;
        }
        if (accumulate) {
            NativeErrors.check(quiver_gf_h.qv_gf_mul_add(tier.id(), c, src, dst, n), "qv_gf_mul_add");
        } else {
            NativeErrors.check(quiver_gf_h.qv_gf_mul(tier.id(), c, src, dst, n), "qv_gf_mul");
        }
    }

    /**
     * {@code dsts[r][dstOff + i] = Σ_j coeffs[coeffOff + r * stride + j] · srcs[j][srcOff + i]}, arguments already
     * checked and no destination a source. Column ranges outermost, so a range of every source stays in cache
     * while all row blocks consume it.
     */
    private void matrixChecked(byte[] coeffs, int coeffOff, int stride, byte[][] srcs, int srcOff, int count,
                               byte[][] dsts, int dstOff, int rows, int len) {
        if (len == 0 || rows == 0) {
            return;
        }
        if (count == 0) {
            for (int r = 0; r < rows; r++) {
                Arrays.fill(dsts[r], dstOff, dstOff + len, (byte) 0);
            }
            return;
        }
        MemorySegment coeffSegment = MemorySegment.ofArray(coeffs);
        MemorySegment[] pointers = new MemorySegment[ROWS + SOURCES];
        int columns = columnsPerDowncall(Math.min(count, SOURCES));
        for (int col = 0; col < len; col += columns) {
            int n = Math.min(columns, len - col);
            for (int r0 = 0; r0 < rows; r0 += ROWS) {
                int nr = Math.min(ROWS, rows - r0);
                for (int j0 = 0; j0 < count; j0 += SOURCES) {
                    int nj = Math.min(SOURCES, count - j0);
                    Arrays.fill(pointers, MemorySegment.NULL);
                    for (int r = 0; r < nr; r++) {
                        pointers[r] = MemorySegment.ofArray(dsts[r0 + r]).asSlice(dstOff + col, n);
                    }
                    for (int j = 0; j < nj; j++) {
                        pointers[ROWS + j] = MemorySegment.ofArray(srcs[j0 + j]).asSlice(srcOff + col, n);
                    }
                    MemorySegment block = coeffSegment.asSlice(coeffOff + (long) r0 * stride + j0);
                    int code = quiver_gf_h.qv_gf_matmul_args(tier.id(), block, stride, nr, nj, n, j0 > 0 ? 1 : 0,
                            pointers);
                    NativeErrors.check(code, "qv_gf_matmul_args");
                }
            }
        }
    }

    /** Columns per matrix downcall for {@code sources} sources per call (a multiple of 64 bytes). */
    static int columnsPerDowncall(int sources) {
        long columns = MAX_SOURCE_BYTES_PER_DOWNCALL / sources & ~63L;
        return (int) Math.max(MIN_COLUMNS_PER_DOWNCALL, columns);
    }

    private static boolean isSource(byte[] dst, byte[][] srcs, int count) {
        for (int j = 0; j < count; j++) {
            if (srcs[j] == dst) {
                return true;
            }
        }
        return false;
    }

    private static void checkCoefficient(int c) {
        if (c < 0 || c > 255) {
            throw new IllegalArgumentException("a GF(2^8) coefficient is 0..255, not " + c);
        }
    }

    private static void checkSegments(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff,
                                      long len) {
        checkCoefficient(c);
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(srcOff, len, src.byteSize());
        Objects.checkFromIndexSize(dstOff, len, dst.byteSize());
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("the destination segment is read-only");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
