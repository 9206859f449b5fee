package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.MalformedRangeResponseException;
import dev.quiver.codec.blob.RangeRefusedException;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeStatus;
import dev.quiver.codec.blob.VerifiedRangeDecoder;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Learns a blob's length from a verified source before anything is written: asks a provider for the first group
 * plus the last ({@link RangeRequest#FLAG_PROVE_LENGTH}); once the last group verifies under the announced length,
 * that length is proven. The (at most two) verified groups are kept, so a blob of one or two groups is complete
 * after the probe. Providers are tried in order; one that lacks the blob, lies, or cannot be reached is marked
 * dropped with the reason.
 */
final class Probe {

    /** A verified group kept from the probe. */
    record Group(long index, byte[] data) { }

    /** The proven length and the groups that came with it. */
    record Result(long length, List<Group> groups) { }

    private Probe() {
    }

    static Result run(TransferRun run, List<ProviderWorker> workers, BlobHash hash, DownloadOptions options)
            throws Exception {
        for (ProviderWorker w : workers) {
            if (!w.isActive()) {
                continue;
            }
            try {
                Result r = probeOne(run, w, hash, options);
                w.markServedProbe();
                return r;
            } catch (RangeRefusedException e) {
                boolean nf = e.status() == RangeStatus.NOT_FOUND;
                w.markDropped(nf ? "does not have " + hash : "refused the range: " + e.getMessage(), nf, e);
            } catch (ProtocolException e) {
                w.markDropped("sent bad data: " + e.getMessage(), false, e);
            } catch (Exception e) {
                w.markDropped(e.toString(), false, e);
            }
            run.log().warn("provider {} dropped while probing {}: {}", w.node().shortString(), hash,
                    w.status().reason());
        }
        throw run.exhausted();
    }

    private static Result probeOne(TransferRun run, ProviderWorker w, BlobHash hash, DownloadOptions options)
            throws Exception {
        PeerSession session = run.downloader().session(w.ticket());
        long flags = RangeRequest.FLAG_PROVE_LENGTH | (options.lz4() ? RangeRequest.FLAG_LZ4 : 0);
        RangeRequest req = new RangeRequest(hash, 0, 1, flags);
        List<Group> groups = new ArrayList<>(2);
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1,
                (g, offset, data, off, len) -> groups.add(new Group(g, java.util.Arrays.copyOfRange(data, off,
                        off + len))));
        try (LogicalStream s = session.openStream(StreamKind.BLOB, PriorityClass.INTERACTIVE, 16)) {
            CompletableFuture<Void> timer = CompletableFuture.runAsync(() -> s.reset(BlobWire.RESET_ABANDONED),
                    CompletableFuture.delayedExecutor(options.stallTimeout().toMillis(), TimeUnit.MILLISECONDS));
            try {
                s.outputStream().write(BlobWire.request(req));
                s.finish();
                InputStream in = s.inputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    if (!dec.isDone()) {
                        dec.feedUntilDone(bb);
                    }
                    if (bb.hasRemaining()) {
                        throw new MalformedRangeResponseException(MalformedRangeResponseException.Reason
                                .TRAILING_BYTES, bb.remaining() + " bytes after the probe's answer");
                    }
                }
                dec.finish();
            } finally {
                timer.cancel(false);
            }
        }
        if (!dec.lengthAuthenticated()) {
            throw new MalformedRangeResponseException(MalformedRangeResponseException.Reason.TRUNCATED,
                    "the probe's answer did not prove the length");
        }
        return new Result(dec.length(), groups);
    }
}
