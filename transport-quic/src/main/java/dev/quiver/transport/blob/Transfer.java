package dev.quiver.transport.blob;

import java.util.concurrent.CompletableFuture;

/**
 * One running download started by {@link BlobDownloader}. Thread-safe.
 */
public interface Transfer {

    /** A snapshot of progress, rate and providers. */
    TransferStatus status();

    /**
     * Stops the transfer: in-flight requests are abandoned, what is verified is committed to disk (a later run
     * resumes from it), and {@link #result()} completes exceptionally with a
     * {@link java.util.concurrent.CancellationException}. Idempotent; no effect once finished.
     */
    void cancel();

    /**
     * Completes when every file is verified and in place, or exceptionally with the typed cause:
     * {@link BlobNotFoundException} (no provider has it), {@link TargetExistsException},
     * {@link DiskFullException}, {@link dev.quiver.codec.blob.InvalidManifestException} (wrapped as the cause of a
     * {@link java.util.concurrent.CompletionException} when joined), {@link ProvidersExhaustedException},
     * {@link dev.quiver.transport.DialException}, {@link dev.quiver.transport.PeerIdentityMismatchException}.
     */
    CompletableFuture<TransferResult> result();
}
