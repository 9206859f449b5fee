package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.NodeId;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished transfer.
 *
 * @param hash the blob or collection manifest fetched
 * @param paths the files written (for a collection, in manifest order), under their final names
 * @param totalBytes the size of all files
 * @param bytesFetched bytes verified over the network in this run (less than {@code totalBytes} after a resume)
 * @param seconds wall time of this run
 * @param providersUsed providers that served at least one byte
 * @param providersDropped providers dropped on the way
 */
public record TransferResult(BlobHash hash, List<Path> paths, long totalBytes, long bytesFetched, double seconds,
                             List<NodeId> providersUsed, List<NodeId> providersDropped) {

    /** Copies the lists. */
    public TransferResult {
        paths = List.copyOf(paths);
        providersUsed = List.copyOf(providersUsed);
        providersDropped = List.copyOf(providersDropped);
    }
}
