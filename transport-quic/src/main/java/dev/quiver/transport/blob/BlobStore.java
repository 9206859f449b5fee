package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Blobs addressed by their BLAKE3 root hash, each stored with its pre-order outboard (see
 * {@link dev.quiver.codec.blake3.Blake3Tree}) so a provider can serve any range with the tree nodes that prove
 * it. Implementations are thread-safe.
 */
public interface BlobStore {

    /** Whether the store holds the complete blob {@code hash}. */
    boolean has(BlobHash hash);

    /** The blob's length in bytes; {@link BlobNotFoundException} if the store does not hold it. */
    long size(BlobHash hash) throws IOException;

    /**
     * Opens the blob for reading ranges and outboard entries (close it when done); {@link BlobNotFoundException}
     * if the store does not hold it.
     */
    RangeSource open(BlobHash hash) throws IOException;

    /** Stores a copy of the file at {@code file} and returns its hash; the file may be many GiB. */
    BlobHash importFile(Path file) throws IOException;

    /** Stores {@code bytes} and returns their hash. */
    BlobHash importBytes(byte[] bytes) throws IOException;
}
