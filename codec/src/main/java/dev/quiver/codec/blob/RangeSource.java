package dev.quiver.codec.blob;

import java.io.Closeable;
import java.io.IOException;

/**
 * What a provider serves ranges from: a stored blob's bytes and its pre-order outboard (see
 * {@link dev.quiver.codec.blake3.Blake3Tree}: 64 bytes, left CV then right CV, per parent node).
 */
public interface RangeSource extends Closeable {

    /** The blob's root hash. */
    BlobHash hash();

    /** The blob's length in bytes. */
    long length();

    /** Reads {@code len} blob bytes at {@code offset} into {@code dst[off, off + len)}; the range is inside the blob. */
    void readData(long offset, byte[] dst, int off, int len) throws IOException;

    /** Reads the 64-byte outboard entry of the parent at pre-order index {@code index} into {@code dst[off, +64)}. */
    void readParent(long index, byte[] dst, int off) throws IOException;

    /**
     * Reads the entries of the {@code count} parents from pre-order index {@code first} on into {@code dst[off,
     * +64 * count)}; every index is inside the outboard. Sources backed by a file override this with one read.
     */
    default void readParents(long first, int count, byte[] dst, int off) throws IOException {
        for (int i = 0; i < count; i++) {
            readParent(first + i, dst, off + 64 * i);
        }
    }
}
