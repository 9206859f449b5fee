package dev.quiver.codec.gf;

import java.util.Objects;

/**
 * Argument checks shared by every {@link GfKernel} tier (Java and native), done in full before any byte is written
 * (or, for native tiers, before any downcall).
 */
public final class GfChecks {

    private GfChecks() {
    }

    /** Checks the arguments of {@link GfKernel#dotProduct}. */
    public static void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count,
                           byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(coeffOff, count, coeffs.length);
        Objects.checkFromIndexSize(0, count, srcs.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int j = 0; j < count; j++) {
            Objects.checkFromIndexSize(srcOff, len, srcs[j].length);
        }
    }

    /** Checks the arguments of {@link GfKernel#matrixMultiply}. */
    public static void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count,
                               byte[][] dsts, int dstOff, int rows, int len) {
        if (rows < 0 || count < 0) {
            throw new IndexOutOfBoundsException("negative rows " + rows + " or count " + count);
        }
        Objects.checkFromIndexSize(0, Math.multiplyExact(rows, count), coeffs.length);
        Objects.checkFromIndexSize(0, count, srcs.length);
        Objects.checkFromIndexSize(0, rows, dsts.length);
        Objects.checkFromIndexSize(srcOff, len, Integer.MAX_VALUE);
        for (int j = 0; j < count; j++) {
            Objects.checkFromIndexSize(srcOff, len, srcs[j].length);
        }
        for (int r = 0; r < rows; r++) {
            Objects.checkFromIndexSize(dstOff, len, dsts[r].length);
        }
    }
}
