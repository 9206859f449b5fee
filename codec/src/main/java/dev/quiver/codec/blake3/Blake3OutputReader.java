package dev.quiver.codec.blake3;

import java.util.Objects;

/**
 * Reads BLAKE3's extendable output (XOF, BLAKE3 paper, section 2.6) from any position: every 64-byte output block
 * is computed independently from the root node, so seeking costs nothing.
 *
 * <p>Not thread-safe: one thread at a time owns a reader.
 */
public final class Blake3OutputReader {
    private final Blake3Output root;
    private long position;

    Blake3OutputReader(Blake3Output root) {
        this.root = root;
    }

    /** The output offset the next {@link #read} starts at. */
    public long position() {
        return position;
    }

    /** Moves to output offset {@code position} (non-negative). */
    public Blake3OutputReader seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("output position must be non-negative: " + position);
        }
        this.position = position;
        return this;
    }

    /** Fills {@code out[off, off + len)} with the next {@code len} output bytes and advances the position. */
    public void read(byte[] out, int off, int len) {
        Objects.checkFromIndexSize(off, len, out.length);
        root.write(position, out, off, len);
        position += len;
    }

    /** Fills all of {@code out} with the next output bytes and advances the position. */
    public void read(byte[] out) {
        read(out, 0, out.length);
    }
}
