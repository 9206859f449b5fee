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
    /** Vector-path working memory, allocated on first use (up to 16 chunks of words, plus counters). */
    private int[] laneWords;
    private int[] laneCvs;

    int[] laneWords() {
        if (laneWords == null) {
            laneWords = new int[MAX_LANES * Blake3Flags.CHUNK_LEN / 4 + 2 * MAX_LANES];
        }
        return laneWords;
    }

    int[] laneCvs() {
        if (laneCvs == null) {
            laneCvs = new int[MAX_LANES * 8];
        }
        return laneCvs;
    }

    /** The widest vector batch: 16 chunks (512-bit vectors). */
    static final int MAX_LANES = 16;
}
