package dev.quiver.codec.rlnc;

import java.util.Objects;

/**
 * One of the n fragments of a blob split so that any k restore it ({@link Fragments}). Self-describing: it names the
 * blob (length and 32-byte BLAKE3 hash), the code (k, n) and its own row index. Fragments 0..k-1 are the blob's
 * bytes themselves (the last zero-padded); fragments k..n-1 are parity.
 *
 * <p>Immutable by contract: the payload array is shared, not copied; do not modify it.
 *
 * @param k          fragments needed, 1..256
 * @param n          fragments made, k..256
 * @param index      this fragment's row, 0..n-1
 * @param blobLength bytes in the blob
 * @param blobHash   BLAKE3 hash of the whole blob, 32 bytes
 * @param payload    {@link #fragmentLength(long, int)} bytes
 */
public record Fragment(int k, int n, int index, long blobLength, byte[] blobHash, byte[] payload) {

    /** Most fragments a blob can have: one GF(2^8) Cauchy row per fragment, 256 field elements. */
    public static final int MAX_N = 256;
    /** Largest blob: it is restored into one Java array. */
    public static final long MAX_BLOB_LENGTH = Integer.MAX_VALUE - 8;
    /** Bytes of the blob hash. */
    public static final int HASH_BYTES = 32;

    /** Validates the fields. */
    public Fragment {
        if (k < 1 || n < k || n > MAX_N) {
            throw new IllegalArgumentException("need 1 <= k <= n <= " + MAX_N + ", got k = " + k + ", n = " + n);
        }
        Objects.checkIndex(index, n);
        if (blobLength < 0 || blobLength > MAX_BLOB_LENGTH) {
            throw new IllegalArgumentException("blob length " + blobLength + " outside 0.." + MAX_BLOB_LENGTH);
        }
        if (blobHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("blob hash of " + blobHash.length + " bytes, need " + HASH_BYTES);
        }
        if (payload.length != fragmentLength(blobLength, k)) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes, fragments of a "
                    + blobLength + "-byte blob with k = " + k + " have " + fragmentLength(blobLength, k));
        }
    }

    /** Bytes per fragment: {@code max(1, ⌈blobLength / k⌉)}. */
    public static int fragmentLength(long blobLength, int k) {
        return (int) Math.max(1, (blobLength + k - 1) / k);
    }

    /** Whether this fragment holds blob bytes verbatim (index below k) rather than parity. */
    public boolean isData() {
        return index < k;
    }
}
