package dev.quiver.codec.gf;


import java.util.Arrays;

/**
 * The span of the coefficient vectors received so far, kept in reduced row-echelon form (every pivot is 1 and is
 * the only non-zero entry of its column), plus, when asked, the transform {@code T} with {@code R = T · C}: row r
 * of the echelon form as a combination of the received (innovative) vectors. Reducing a new vector touches only
 * k-byte coefficient rows, so a dependent symbol is recognised before any payload work.
 *
 * <p>Cost per insertion: at most {@code 2 · rank} k-byte row operations (plus as many on {@code T}). Owned by one
 * thread (its decoder or recoder).
 */
public final class CoefficientBasis {

    /**
     * Bytes of payload and result slices per pass of {@link #solveInto}, the size of a Zen 3 L2. Measured on
     * RlncBench.decode, k = 32 × 64 KiB, AVX2: budgets of 128 KiB to 1 MiB (4 to 16 KiB slices) decode at the same
     * rate within the noise (1.0-1.2 GB/s), 64 KiB (1 KiB slices) at 0.76 GB/s; the larger budget makes fewer
     * downcalls.
     */
    private static final int SLICE_BUDGET_BYTES = 512 * 1024;
    private static final int SLICE_MIN_BYTES = 1024;

    private final int k;
    private final GfKernel kernel;
    private final byte[][] rows;
    private final byte[][] transform;
    private final int[] pivotColumn;
    private final int[] rowOfPivot;
    private int rank;

    public CoefficientBasis(int k, GfKernel kernel, boolean trackTransform) {
        this.k = k;
        this.kernel = kernel;
        this.rows = new byte[k][];
        this.transform = trackTransform ? new byte[k][] : null;
        this.pivotColumn = new int[k];
        this.rowOfPivot = new int[k];
        Arrays.fill(rowOfPivot, -1);
    }

    public int rank() {
        return rank;
    }

    /**
     * Adds {@code coefficients} (k bytes, not modified) if it is independent of the basis. Returns the index the
     * vector gets among the innovative ones received (0, 1, 2, ...), or -1 when it is a combination of them.
     */
    public int insert(byte[] coefficients) {
        if (rank == k) {
            return -1;
        }
        byte[] w = coefficients.clone();
        byte[] t = null;
        if (transform != null) {
            t = new byte[k];
            t[rank] = 1;
        }
        // In reduced echelon form no row has a non-zero entry in another row's pivot column, so the factor for
        // row r is w's own entry in that column, whatever order the rows are applied in.
        for (int r = 0; r < rank; r++) {
            int f = w[pivotColumn[r]] & 0xFF;
            if (f != 0) {
                kernel.mulAdd(f, rows[r], 0, w, 0, k);
                if (t != null) {
                    kernel.mulAdd(f, transform[r], 0, t, 0, k);
                }
            }
        }
        int q = firstNonZero(w);
        if (q < 0) {
            return -1;
        }
        int inv = Gf256.inv(w[q] & 0xFF);
        kernel.mul(inv, w, 0, w, 0, k);
        if (t != null) {
            kernel.mul(inv, t, 0, t, 0, k);
        }
        for (int r = 0; r < rank; r++) {
            int g = rows[r][q] & 0xFF;
            if (g != 0) {
                kernel.mulAdd(g, w, 0, rows[r], 0, k);
                if (t != null) {
                    kernel.mulAdd(g, t, 0, transform[r], 0, k);
                }
            }
        }
        rows[rank] = w;
        if (t != null) {
            transform[rank] = t;
        }
        pivotColumn[rank] = q;
        rowOfPivot[q] = rank;
        return rank++;
    }

    /**
     * When the basis is complete: row i of {@code C^-1}, the combination of the received innovative vectors (by
     * their insertion index) that equals unit vector e_i. Not copied.
     */
    public byte[] inverseRow(int i) {
        if (rank != k || transform == null) {
            throw new IllegalStateException("basis of rank " + rank + " of " + k + " has no inverse");
        }
        return transform[rowOfPivot[i]];
    }

    private static int firstNonZero(byte[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * When the basis is complete, writes the k sources into {@code out}: source i at {@code i · symbolSize},
     * clipped to {@code out.length} (the padding of the last source is dropped), where {@code payloads[m]} is the
     * payload of the m-th innovative vector inserted. A source whose inverse row is a single 1 is copied. The others
     * are one matrix product, {@code (rows of C^-1 not a unit) × (payloads)}, without the payloads no such row uses,
     * done slice by slice so the payload slices and the result slices stay in the L2 cache while every row is
     * computed from them; the matrix kernel keeps several results in registers per pass over the payload slices.
     */
    public void solveInto(GfKernel gf, byte[][] payloads, int symbolSize, byte[] out) {
        int[] computed = new int[k];
        int count = 0;
        for (int i = 0; i < k; i++) {
            long start = (long) i * symbolSize;
            if (start >= out.length) {
                break;
            }
            int unit = unitIndex(inverseRow(i));
            if (unit >= 0) {
                System.arraycopy(payloads[unit], 0, out, (int) start, (int) Math.min(symbolSize, out.length - start));
            } else {
                computed[count++] = i;
            }
        }
        if (count > 0) {
            multiplyInto(gf, payloads, symbolSize, computed, count, out);
        }
    }

    /** Sources {@code computed[0..count)} as one sliced matrix product over the payloads their rows use. */
    private void multiplyInto(GfKernel gf, byte[][] payloads, int symbolSize, int[] computed, int count,
                              byte[] out) {
        // A payload no computed row uses (the column is zero in all of them) is left out of the product.
        int[] used = new int[k];
        int sources = 0;
        for (int m = 0; m < k; m++) {
            for (int c = 0; c < count; c++) {
                if (inverseRow(computed[c])[m] != 0) {
                    used[sources++] = m;
                    break;
                }
            }
        }
        byte[] matrix = new byte[count * sources];
        byte[][] srcs = new byte[sources][];
        for (int j = 0; j < sources; j++) {
            srcs[j] = payloads[used[j]];
        }
        for (int c = 0; c < count; c++) {
            byte[] row = inverseRow(computed[c]);
            for (int j = 0; j < sources; j++) {
                matrix[c * sources + j] = row[used[j]];
            }
        }
        int slice = sliceBytes(count + sources, symbolSize);
        // The rows land at different offsets of out; the kernel writes all rows at one offset, so each slice goes
        // through a small buffer per row (a copy from L1/L2, cheap next to the row's multiply-adds).
        byte[][] results = new byte[count][slice];
        for (int off = 0; off < symbolSize; off += slice) {
            int len = Math.min(slice, symbolSize - off);
            gf.matrixMultiply(matrix, srcs, off, sources, results, 0, count, len);
            for (int c = 0; c < count; c++) {
                long start = (long) computed[c] * symbolSize + off;
                int n = (int) Math.min(len, out.length - start);
                if (n > 0) {
                    System.arraycopy(results[c], 0, out, (int) start, n);
                }
            }
        }
    }

    /** Bytes per slice when {@code buffers} slices (sources and results) share the cache budget. */
    static int sliceBytes(int buffers, int symbolSize) {
        int slice = Math.max(SLICE_MIN_BYTES, SLICE_BUDGET_BYTES / buffers & ~63);
        return Math.min(symbolSize, slice);
    }

    /** The index of the only non-zero entry when that entry is 1, else -1. */
    public static int unitIndex(byte[] v) {
        int found = -1;
        for (int m = 0; m < v.length; m++) {
            if (v[m] != 0) {
                if (found >= 0 || v[m] != 1) {
                    return -1;
                }
                found = m;
            }
        }
        return found;
    }
}
