package dev.quiver.codec.rlnc;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.gf.Gf256;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Splits a blob into n fragments so that any k of them restore it, for storage spread over disks or peers.
 *
 * <p>This needs a maximum-distance-separable code, which random coefficients are not (they restore only with high
 * probability), so the generator is systematic: fragments 0..k-1 are the blob's bytes, and parity fragment
 * {@code k + i} has coefficients from the Cauchy matrix {@code C[i][j] = 1 / (x_i + y_j)} with {@code x_i = k + i},
 * {@code y_j = j} (all distinct because n ≤ 256, so no denominator is 0). Every square submatrix of a Cauchy matrix
 * is invertible, hence so is every k-row submatrix of {@code [I; C]}: any k fragments restore the blob
 * (the construction of ISA-L's {@code gf_gen_cauchy1_matrix} and of Blömer et al., "An XOR-based erasure-resilient
 * coding scheme", 1995).
 *
 * <p>Each fragment carries the BLAKE3 hash of the whole blob; {@link #restore} checks the restored bytes against it,
 * so a corrupted fragment cannot go unnoticed. Stateless and thread-safe.
 */
public final class Fragments {

    private Fragments() {
    }

    /** Splits {@code blob} into n fragments, any k of which restore it, hashing the blob with BLAKE3. */
    public static List<Fragment> split(byte[] blob, int k, int n) {
        return split(blob, k, n, Blake3.hash(blob), GfKernels.best());
    }

    /**
     * Splits {@code blob} into n fragments, any k of which restore it, recording {@code blobHash} (the caller's
     * 32-byte BLAKE3 hash of the blob, when it already has one) in each.
     */
    public static List<Fragment> split(byte[] blob, int k, int n, byte[] blobHash, GfKernel kernel) {
        if (k < 1 || n < k || n > Fragment.MAX_N) {
            throw new IllegalArgumentException("need 1 <= k <= n <= " + Fragment.MAX_N + ", got k = " + k + ", n = " + n);
        }
        if (blob.length > Fragment.MAX_BLOB_LENGTH) {
            throw new IllegalArgumentException("blob of " + blob.length + " bytes exceeds " + Fragment.MAX_BLOB_LENGTH);
        }
        if (blobHash.length != Fragment.HASH_BYTES) {
            throw new IllegalArgumentException("blob hash of " + blobHash.length + " bytes, need " + Fragment.HASH_BYTES);
        }
        int fragLen = Fragment.fragmentLength(blob.length, k);
        byte[][] pieces = new byte[n][fragLen];
        for (int j = 0; j < k; j++) {
            int start = j * fragLen;
            if (start < blob.length) {
                System.arraycopy(blob, start, pieces[j], 0, Math.min(fragLen, blob.length - start));
            }
        }
        byte[][] parity = new byte[n - k][];
        System.arraycopy(pieces, k, parity, 0, n - k);
        kernel.matrixMultiply(cauchy(k, n), pieces, 0, k, parity, 0, n - k, fragLen);
        List<Fragment> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Fragment(k, n, i, blob.length, blobHash.clone(), pieces[i]));
        }
        return List.copyOf(out);
    }

    /** Restores the blob from any k (or more) of its fragments, checking it against their BLAKE3 hash. */
    public static byte[] restore(Collection<Fragment> fragments) throws FragmentException {
        return restore(fragments, Blake3::hash, GfKernels.best());
    }

    /**
     * Restores the blob from any k (or more) fragments and checks {@code hasher(blob)} against the fragments' blob
     * hash. Data fragments are preferred (they need no arithmetic). When the hash does not match and more than k
     * fragments were given, each chosen fragment in turn is swapped for a spare, so one corrupted fragment among
     * k + 1 or more is tolerated.
     *
     * @throws InsufficientFragmentsException fewer than k distinct fragment indices
     * @throws CorruptFragmentException       the fragments disagree about their blob, or no tried subset hashes right
     */
    public static byte[] restore(Collection<Fragment> fragments, UnaryOperator<byte[]> hasher, GfKernel kernel)
            throws FragmentException {
        if (fragments.isEmpty()) {
            throw new InsufficientFragmentsException("no fragments given");
        }
        Fragment first = fragments.iterator().next();
        TreeMap<Integer, Fragment> byIndex = new TreeMap<>();
        for (Fragment f : fragments) {
            if (f.k() != first.k() || f.n() != first.n() || f.blobLength() != first.blobLength()
                    || !MessageDigest.isEqual(f.blobHash(), first.blobHash())) {
                throw new CorruptFragmentException("fragment " + f.index() + " describes another blob or code (k = "
                        + f.k() + ", n = " + f.n() + ", length " + f.blobLength() + ") than fragment " + first.index()
                        + " (k = " + first.k() + ", n = " + first.n() + ", length " + first.blobLength() + ")");
            }
            byIndex.putIfAbsent(f.index(), f);
        }
        int k = first.k();
        if (byIndex.size() < k) {
            throw new InsufficientFragmentsException("need " + k + " distinct fragments of " + first.n() + ", have "
                    + byIndex.size() + " " + byIndex.keySet() + ": " + (k - byIndex.size()) + " more");
        }
        List<Fragment> all = new ArrayList<>(byIndex.values());
        all.sort(Comparator.comparingInt(Fragment::index));
        List<Fragment> chosen = new ArrayList<>(all.subList(0, k));
        List<Fragment> spares = all.subList(k, all.size());
        byte[] blob = decode(chosen, kernel);
        if (hashMatches(blob, first, hasher)) {
            return blob;
        }
        for (int swap = 0; swap < k && !spares.isEmpty(); swap++) {
            List<Fragment> attempt = new ArrayList<>(chosen);
            attempt.set(swap, spares.getFirst());
            blob = decode(attempt, kernel);
            if (hashMatches(blob, first, hasher)) {
                return blob;
            }
        }
        throw new CorruptFragmentException("restored blob does not match its BLAKE3 hash: at least one of fragments "
                + byIndex.keySet() + " is corrupt" + (spares.isEmpty() ? "; supply more fragments to route around it"
                : " (more than one, or not locatable by swapping one)"));
    }

    private static boolean hashMatches(byte[] blob, Fragment reference, UnaryOperator<byte[]> hasher) {
        return MessageDigest.isEqual(Objects.requireNonNull(hasher.apply(blob), "hash"), reference.blobHash());
    }

    /** Restores the blob from exactly k fragments with distinct indices. */
    private static byte[] decode(List<Fragment> chosen, GfKernel kernel) {
        Fragment first = chosen.getFirst();
        int k = first.k();
        byte[] cauchy = cauchy(k, first.n());
        CoefficientBasis basis = new CoefficientBasis(k, kernel, true);
        byte[][] payloads = new byte[k][];
        for (Fragment f : chosen) {
            byte[] row = new byte[k];
            if (f.isData()) {
                row[f.index()] = 1;
            } else {
                System.arraycopy(cauchy, (f.index() - k) * k, row, 0, k);
            }
            int m = basis.insert(row);
            if (m < 0) {
                throw new IllegalStateException("Cauchy rows dependent: the generator is not MDS (bug)");
            }
            payloads[m] = f.payload();
        }
        int fragLen = payloads[0].length;
        long blobLength = first.blobLength();
        byte[] blob = new byte[(int) blobLength];
        byte[] piece = new byte[fragLen];
        for (int j = 0; j < k; j++) {
            long start = (long) j * fragLen;
            if (start >= blobLength) {
                break;
            }
            int n = (int) Math.min(fragLen, blobLength - start);
            byte[] combination = basis.inverseRow(j);
            int unit = CoefficientBasis.unitIndex(combination);
            if (unit >= 0) {
                System.arraycopy(payloads[unit], 0, blob, (int) start, n);
            } else if (n == fragLen) {
                kernel.dotProduct(combination, 0, payloads, 0, k, blob, (int) start, fragLen);
            } else {
                kernel.dotProduct(combination, 0, payloads, 0, k, piece, 0, fragLen);
                System.arraycopy(piece, 0, blob, (int) start, n);
            }
        }
        return blob;
    }

    /** The (n - k) × k parity coefficients, row-major: {@code 1 / ((k + i) ^ j)}. */
    static byte[] cauchy(int k, int n) {
        byte[] m = new byte[(n - k) * k];
        for (int i = 0; i < n - k; i++) {
            for (int j = 0; j < k; j++) {
                m[i * k + j] = (byte) Gf256.inv((k + i) ^ j);
            }
        }
        return m;
    }
}
