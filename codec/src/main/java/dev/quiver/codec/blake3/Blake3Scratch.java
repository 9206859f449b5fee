package dev.quiver.codec.blake3;

/**
 * Working memory of one BLAKE3 computation, reused so the hot path never allocates: a CV stack deep enough for
 * any 2^64-byte message (2^54 chunks, plus the chunk being added and one spare), a zero-padded block, and a root
 * node. Owned by one thread at a time.
 */
final class Blake3Scratch {
    /** log2 of the largest chunk count (2^64 bytes / 1 KiB chunks), as the official implementation's MAX_DEPTH. */
    static final int MAX_DEPTH = 54;

    final int[] stack = new int[(MAX_DEPTH + 2) * 8];
    final byte[] pad = new byte[Blake3Flags.BLOCK_LEN];
    final Blake3Output root = new Blake3Output();
}
