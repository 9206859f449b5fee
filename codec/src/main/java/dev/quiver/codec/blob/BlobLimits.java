package dev.quiver.codec.blob;

/**
 * Caps on every length the blob protocol reads from a peer, checked before anything is allocated or written.
 */
public final class BlobLimits {

    /** Largest blob a peer may announce: 1 TiB (2^26 groups of 16 KiB, so a resume bitmap is at most 8 MiB). */
    public static final long MAX_BLOB_LENGTH = 1L << 40;
    /** Most groups one range request may ask for: 64 Ki groups, 1 GiB of data at 16 KiB per group. */
    public static final long MAX_GROUPS_PER_REQUEST = 1L << 16;
    /** Longest relative path in a collection manifest, in UTF-8 bytes (Linux PATH_MAX). */
    public static final int MAX_PATH_BYTES = 4096;
    /** Longest path segment, in UTF-8 bytes (Linux NAME_MAX). */
    public static final int MAX_SEGMENT_BYTES = 255;
    /** Most entries in one collection manifest. */
    public static final long MAX_MANIFEST_ENTRIES = 10_000_000;

    private BlobLimits() {
    }
}
