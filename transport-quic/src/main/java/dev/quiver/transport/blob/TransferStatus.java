package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;

import java.util.List;

/**
 * A snapshot of one transfer.
 *
 * @param hash the blob or collection manifest being fetched
 * @param bytesVerified verified bytes in place so far (including those found on disk from an earlier run); for a
 *                      collection, file bytes only (not the manifest)
 * @param totalBytes the total, or -1 while not yet known
 * @param rateBytesPerSecond recent verified-bytes rate
 * @param providers each provider's part
 * @param state where the transfer stands
 */
public record TransferStatus(BlobHash hash, long bytesVerified, long totalBytes, double rateBytesPerSecond,
                             List<ProviderStatus> providers, TransferState state) {

    /** Copies the list. */
    public TransferStatus {
        providers = List.copyOf(providers);
    }
}
