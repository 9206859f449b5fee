/**
 * Blobs on disk and over the network.
 *
 * <h2>Storage</h2>
 * The content-addressed {@link dev.quiver.transport.blob.BlobStore} ({@link dev.quiver.transport.blob.FsBlobStore},
 * {@link dev.quiver.transport.blob.MemoryBlobStore}; blobs up to 1 MiB are imported through memory, larger ones
 * through a staged copy that is mapped and hashed in parallel); the resumable, crash-safe
 * {@link dev.quiver.transport.blob.PartialBlob} a download writes verified groups into (bitmap replaced atomically
 * after an fsync of the data, committed in batches); directory collections
 * ({@link dev.quiver.transport.blob.CollectionImporter}, {@link dev.quiver.transport.blob.CollectionExporter}).
 *
 * <h2>Transfer</h2>
 * <ul>
 *   <li>{@link dev.quiver.transport.blob.BlobProvider#start}: serves a store on a node's blob logical streams
 *       (bit-61 kind). A downloader's messages ({@code BlobWire}: REQUEST = a
 *       {@link dev.quiver.codec.blob.RangeRequest}, COMPLETE = a finished hash) are answered in order with
 *       {@link dev.quiver.codec.blob.RangeEncoder} responses, so requests pipeline on one stream without response
 *       framing; answers to requests that arrived together are staged and written together (the stream is flushed
 *       only before a read would block), so a batch of small files leaves in a few packets, not one each;
 *       NOT_FOUND is a typed one-byte answer; {@link dev.quiver.transport.blob.ProviderLimits} caps the
 *       groups per request. Counters: {@link dev.quiver.transport.blob.ProviderStats}; a COMPLETE fires
 *       {@link dev.quiver.transport.blob.BlobProvider#onDownloadComplete}.</li>
 *   <li>{@link dev.quiver.transport.blob.BlobDownloader}: {@code fetchBlob} into a file, {@code fetchCollection}
 *       into a directory, from one or several providers ({@link dev.quiver.transport.Ticket}s naming the same
 *       hash). Each returns a {@link dev.quiver.transport.blob.Transfer}: {@code status()}
 *       ({@link dev.quiver.transport.blob.TransferStatus} with a {@link dev.quiver.transport.blob.ProviderStatus}
 *       per provider), {@code cancel()}, {@code result()}
 *       ({@link dev.quiver.transport.blob.TransferResult}, or a typed failure:
 *       {@link dev.quiver.transport.blob.BlobNotFoundException}, {@link dev.quiver.transport.blob.TargetExistsException},
 *       {@link dev.quiver.transport.blob.DiskFullException}, {@link dev.quiver.codec.blob.InvalidManifestException},
 *       {@link dev.quiver.transport.blob.ProvidersExhaustedException}, {@link dev.quiver.transport.DialException},
 *       {@link dev.quiver.transport.PeerIdentityMismatchException}).</li>
 * </ul>
 *
 * <h2>How a download runs</h2>
 * <ol>
 *   <li><b>Length</b>: a probe asks for group 0 plus the last group ({@code FLAG_PROVE_LENGTH}); the last group
 *       verifying proves the length before anything is written. A collection's file sizes come from its verified
 *       manifest, so files need no probe.</li>
 *   <li><b>Work</b>: the missing groups (from the resume bitmap) go into one {@code WorkQueue}; each provider's
 *       {@code ProviderWorker} takes units sized to ~250 ms of its measured rate (1–4 MiB by default), so a faster
 *       provider takes more (work stealing), and pipelines requests up to an in-flight window
 *       ({@link dev.quiver.transport.blob.DownloadOptions}).</li>
 *   <li><b>Verification</b>: each response streams through a {@link dev.quiver.codec.blob.VerifiedRangeDecoder}
 *       (BLAKE3 through {@link dev.quiver.codec.blake3.Blake3#kernel()}, the native SIMD kernel when present) on the
 *       worker's reader, a virtual thread, never the event loop. Verified groups are coalesced into runs of up to
 *       1 MiB and written with one positional write; only verified bytes reach the disk. Bitmaps are committed
 *       every {@code commitIntervalBytes} or 2 s.</li>
 *   <li><b>Faults</b>: a group that does not verify, a length that differs from the proven one, bytes beyond what
 *       was asked, or silence past the stall timeout drop the provider for good; a broken connection is retried
 *       with exponential backoff up to {@code maxRetries}. Either way its unwritten ranges go back to the head of
 *       the queue for the others. When no provider is left the transfer fails, keeping its verified part.</li>
 *   <li><b>Collections</b>: the manifest is fetched to {@code DIR/.quiver-partial/}, read once to its end and
 *       checked ({@code ../}, absolute paths, duplicates, existing targets: one lookup per missing directory, not
 *       per file) before any file is written, then read
 *       again to feed the queue one file at a time (100 000 entries never sit in memory). Files up to 1 MiB are
 *       written plain (no bitmap, no fsync; refetched after a crash), larger ones resumably; each is renamed from
 *       {@code .quiver-partial} to its final name with its mode once complete (a small file by the reader that
 *       verified its last group, a larger one by the finisher thread, after its fsyncs); each directory is made
 *       once by the feeder, in manifest order, before its first file is fetched (a link, dangling link or file in
 *       its way is refused), and directories are fsynced once at the end. A file already in place with the listed content counts as done, so a rerun resumes.
 *       <br>Crash guarantee: a name only ever appears by a rename after its bytes are verified and written, so after
 *       the process dies ({@code kill -9}) every file under its final name is whole and a rerun resumes. Small files
 *       skip the per-file fsync (thousands of them would cost a disk flush each), so after a power loss or kernel
 *       crash one placed since the last directory sync may be empty or torn; a rerun finds its content differs
 *       from the manifest and refuses it as an existing target, and a rerun with {@code replace} (CLI
 *       {@code --force}) fetches it again. Resumable files fsync their data before each bitmap commit.</li>
 * </ol>
 * Memory per provider: a 256 KiB read buffer, a 1 MiB run buffer and one decoder (16–32 KiB) per request in
 * flight; nothing grows with the file size or the entry count. No Netty types here: everything goes through
 * {@link dev.quiver.transport.QuiverNode} sessions and {@link dev.quiver.transport.LogicalStream}s.
 */
package dev.quiver.transport.blob;
