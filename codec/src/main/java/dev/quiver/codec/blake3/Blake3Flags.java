package dev.quiver.codec.blake3;

/**
 * Domain-separation flags and constants of BLAKE3 (the BLAKE3 paper, section 2.1 and table 3).
 */
public final class Blake3Flags {
    public static final int CHUNK_START = 1;
    public static final int CHUNK_END = 1 << 1;
    public static final int PARENT = 1 << 2;
    public static final int ROOT = 1 << 3;
    public static final int KEYED_HASH = 1 << 4;
    public static final int DERIVE_KEY_CONTEXT = 1 << 5;
    public static final int DERIVE_KEY_MATERIAL = 1 << 6;

    public static final int BLOCK_LEN = 64;
    public static final int CHUNK_LEN = 1024;
    public static final int KEY_LEN = 32;
    public static final int OUT_LEN = 32;

    /** The IV: the same eight words as SHA-256's. */
    public static int[] iv() {
        return new int[] {
            0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
        };
    }

    private Blake3Flags() {
    }
}
