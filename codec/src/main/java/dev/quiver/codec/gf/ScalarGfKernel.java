package dev.quiver.codec.gf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The reference tier: plain Java over the 256×256 product table of {@link Gf256}. Every other tier must write the
 * bytes this one writes. Works eight bytes at a time (one {@code long} load and store, eight table lookups) so
 * the table lookups, not the memory traffic, set the pace. Stateless and thread-safe.
 */
public final class ScalarGfKernel implements GfKernel {

    /** The name this tier reports in logs and benchmark tables. */
    public static final String NAME = "java-scalar";

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong SEGMENT_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final byte[] PRODUCT = Gf256.productTable();

    /** Creates the (stateless) scalar kernel. */
    public ScalarGfKernel() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mulAdd(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        int base = Gf256.check(c) << 8;
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (c == 0) {
            return;
        }
        int i = 0;
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(src, srcOff + i);
            long d = (long) LONGS.get(dst, dstOff + i);
            LONGS.set(dst, dstOff + i, d ^ mul8(base, x));
        }
        for (; i < len; i++) {
            dst[dstOff + i] ^= PRODUCT[base | (src[srcOff + i] & 0xFF)];
        }
    }

    @Override
    public void mul(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        int base = Gf256.check(c) << 8;
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        int i = 0;
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            LONGS.set(dst, dstOff + i, mul8(base, (long) LONGS.get(src, srcOff + i)));
        }
        for (; i < len; i++) {
            dst[dstOff + i] = PRODUCT[base | (src[srcOff + i] & 0xFF)];
        }
    }

    @Override
    public void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count,
                           byte[] dst, int dstOff, int len) {
        GfChecks.dotProduct(coeffs, coeffOff, srcs, srcOff, count, dst, dstOff, len);
        int[] bases = new int[count];
        for (int j = 0; j < count; j++) {
            bases[j] = (coeffs[coeffOff + j] & 0xFF) << 8;
        }
        int i = 0;
        // The accumulator stays in a register across all sources, so dst may also be one of the sources.
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            long acc = 0;
            for (int j = 0; j < count; j++) {
                acc ^= mul8(bases[j], (long) LONGS.get(srcs[j], srcOff + i));
            }
            LONGS.set(dst, dstOff + i, acc);
        }
        for (; i < len; i++) {
            int acc = 0;
            for (int j = 0; j < count; j++) {
                acc ^= PRODUCT[bases[j] | (srcs[j][srcOff + i] & 0xFF)];
            }
            dst[dstOff + i] = (byte) acc;
        }
    }

    @Override
    public void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count,
                               byte[][] dsts, int dstOff, int rows, int len) {
        GfChecks.matrixMultiply(coeffs, srcs, srcOff, count, dsts, dstOff, rows, len);
        for (int r = 0; r < rows; r++) {
            dotProduct(coeffs, r * count, srcs, srcOff, count, dsts[r], dstOff, len);
        }
    }

    @Override
    public void mulAdd(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        int base = Gf256.check(c) << 8;
        Objects.checkFromIndexSize(srcOff, len, src.byteSize());
        Objects.checkFromIndexSize(dstOff, len, dst.byteSize());
        if (c == 0) {
            return;
        }
        long i = 0;
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            long x = src.get(SEGMENT_LONG, srcOff + i);
            long d = dst.get(SEGMENT_LONG, dstOff + i);
            dst.set(SEGMENT_LONG, dstOff + i, d ^ mul8(base, x));
        }
        for (; i < len; i++) {
            byte d = dst.get(ValueLayout.JAVA_BYTE, dstOff + i);
            byte p = PRODUCT[base | (src.get(ValueLayout.JAVA_BYTE, srcOff + i) & 0xFF)];
            dst.set(ValueLayout.JAVA_BYTE, dstOff + i, (byte) (d ^ p));
        }
    }

    @Override
    public void mul(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        int base = Gf256.check(c) << 8;
        Objects.checkFromIndexSize(srcOff, len, src.byteSize());
        Objects.checkFromIndexSize(dstOff, len, dst.byteSize());
        long i = 0;
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            dst.set(SEGMENT_LONG, dstOff + i, mul8(base, src.get(SEGMENT_LONG, srcOff + i)));
        }
        for (; i < len; i++) {
            byte p = PRODUCT[base | (src.get(ValueLayout.JAVA_BYTE, srcOff + i) & 0xFF)];
            dst.set(ValueLayout.JAVA_BYTE, dstOff + i, p);
        }
    }

    /** The eight byte lanes of {@code x}, each multiplied by the coefficient whose product row starts at {@code base}. */
    private static long mul8(int base, long x) {
        return (PRODUCT[base | (int) (x & 0xFF)] & 0xFFL)
                | (PRODUCT[base | (int) ((x >>> 8) & 0xFF)] & 0xFFL) << 8
                | (PRODUCT[base | (int) ((x >>> 16) & 0xFF)] & 0xFFL) << 16
                | (PRODUCT[base | (int) ((x >>> 24) & 0xFF)] & 0xFFL) << 24
                | (PRODUCT[base | (int) ((x >>> 32) & 0xFF)] & 0xFFL) << 32
                | (PRODUCT[base | (int) ((x >>> 40) & 0xFF)] & 0xFFL) << 40
                | (PRODUCT[base | (int) ((x >>> 48) & 0xFF)] & 0xFFL) << 48
                | (PRODUCT[base | (int) (x >>> 56)] & 0xFFL) << 56;
    }
}
