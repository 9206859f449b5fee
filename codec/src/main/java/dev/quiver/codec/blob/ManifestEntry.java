package dev.quiver.codec.blob;

import java.util.Objects;

/**
 * One file of a collection: where it goes (relative, {@code /}-separated, checked by {@link ManifestPaths}), its
 * size, its blob hash and its permission bits.
 *
 * @param path relative path, UTF-8, {@code /} between segments
 * @param size the file's length in bytes
 * @param hash the file's blob hash
 * @param mode POSIX permission bits, {@code 0} to {@code 0777} (no setuid, setgid or sticky from a peer)
 */
public record ManifestEntry(String path, long size, BlobHash hash, int mode) {

    /** Highest mode a manifest may carry. */
    public static final int MAX_MODE = 0777;

    /** Checks size and mode; the path is checked when written or read, where the typed error is wanted. */
    public ManifestEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hash, "hash");
        if (size < 0 || size > BlobLimits.MAX_BLOB_LENGTH) {
            throw new IllegalArgumentException("size out of [0, " + BlobLimits.MAX_BLOB_LENGTH + "]: " + size);
        }
        if (mode < 0 || mode > MAX_MODE) {
            throw new IllegalArgumentException("mode out of [0, 0777]: 0" + Integer.toOctalString(mode));
        }
    }
}
