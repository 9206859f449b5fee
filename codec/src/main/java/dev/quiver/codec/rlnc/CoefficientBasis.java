package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.Gf256;
import dev.quiver.codec.gf.GfKernel;

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
final class CoefficientBasis {

    private final int k;
    private final GfKernel kernel;
    private final byte[][] rows;
    private final byte[][] transform;
    private final int[] pivotColumn;
    private final int[] rowOfPivot;
    private int rank;

    CoefficientBasis(int k, GfKernel kernel, boolean trackTransform) {
        this.k = k;
        this.kernel = kernel;
        this.rows = new byte[k][];
        this.transform = trackTransform ? new byte[k][] : null;
        this.pivotColumn = new int[k];
        this.rowOfPivot = new int[k];
        Arrays.fill(rowOfPivot, -1);
    }

    int rank() {
        return rank;
    }

    /**
     * Adds {@code coefficients} (k bytes, not modified) if it is independent of the basis. Returns the index the
     * vector gets among the innovative ones received (0, 1, 2, ...), or -1 when it is a combination of them.
     */
    int insert(byte[] coefficients) {
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
    byte[] inverseRow(int i) {
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

    /** The index of the only non-zero entry when that entry is 1, else -1. */
    static int unitIndex(byte[] v) {
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
