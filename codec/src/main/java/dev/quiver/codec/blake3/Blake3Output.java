package dev.quiver.codec.blake3;

import java.util.Objects;

import static dev.quiver.codec.blake3.Blake3Compress.LE_INT;

/**
 * The root node of a BLAKE3 tree, kept before its final compression so any output length can be produced: input
 * chaining value, 16 block words, block length and flags (without ROOT). Output block {@code i} is the root
 * compression with counter {@code i} and the ROOT flag (BLAKE3 paper, section 2.6).
 *
 * <p>Mutable; owned by one thread (its hasher, reader or kernel call).
 */
final class Blake3Output {
    final int[] cv = new int[8];
    final int[] block = new int[16];
    int blockLen;
    int flags;
    private final int[] words = new int[16];

    /** Makes this the last block of a chunk that is the whole message; the block is zero-padded in {@code pad}. */
    void setChunkBlock(int[] chunkCv, byte[] pad, int len, int nodeFlags) {
        System.arraycopy(chunkCv, 0, cv, 0, 8);
        for (int i = 0; i < 16; i++) {
            block[i] = (int) LE_INT.get(pad, 4 * i);
        }
        blockLen = len;
        flags = nodeFlags;
    }

    /** Makes this the root parent over {@code children[off, off + 16)} (left CV then right CV). */
    void setParent(int[] keyWords, int[] children, int off, int modeFlags) {
        System.arraycopy(keyWords, 0, cv, 0, 8);
        System.arraycopy(children, off, block, 0, 16);
        blockLen = Blake3Flags.BLOCK_LEN;
        flags = modeFlags | Blake3Flags.PARENT;
    }

    void copyFrom(Blake3Output other) {
        System.arraycopy(other.cv, 0, cv, 0, 8);
        System.arraycopy(other.block, 0, block, 0, 16);
        blockLen = other.blockLen;
        flags = other.flags;
    }

    /** Writes output bytes {@code [pos, pos + len)} of the extended output to {@code out[off, off + len)}. */
    void write(long pos, byte[] out, int off, int len) {
        Objects.checkFromIndexSize(off, len, out.length);
        int rootFlags = flags | Blake3Flags.ROOT;
        while (len > 0) {
            long blockIndex = pos >>> 6;
            int within = (int) pos & 63;
            Blake3Compress.compressWords(cv, 0, block, 0, blockIndex, blockLen, rootFlags, words, 0, true);
            if (within == 0 && len >= Blake3Flags.BLOCK_LEN) {
                for (int i = 0; i < 16; i++) {
                    LE_INT.set(out, off + 4 * i, words[i]);
                }
                off += 64;
                len -= 64;
                pos += 64;
            } else {
                int take = Math.min(64 - within, len);
                for (int j = 0; j < take; j++) {
                    int b = within + j;
                    out[off + j] = (byte) (words[b >>> 2] >>> ((b & 3) << 3));
                }
                off += take;
                len -= take;
                pos += take;
            }
        }
    }
}
