package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Downloads blobs and collections from one or several providers over {@code node}'s sessions, verified as they
 * stream in:
 * <ul>
 *   <li>every 16 KiB group is checked against the root hash as it arrives (a bad group is caught at that group),
 *       and only verified bytes reach the disk;</li>
 *   <li>a resume bitmap beside each partial file is committed in batches, so a later run, even after
 *       {@code kill -9}, fetches only what is missing;</li>
 *   <li>several providers (tickets naming the same hash) share the work by measured rate, in units of 1–4 MiB
 *       taken from one queue; a provider that sends bad data, lies about the length, sends more than asked or
 *       stalls is dropped and its ranges are fetched from the others; broken connections are retried with
 *       backoff, bounded;</li>
 *   <li>memory is bounded whatever the size: per provider a 256 KiB read buffer, a 1 MiB write run and two
 *       group buffers per request in flight;</li>
 *   <li>collections: the manifest is streamed to disk and checked whole ({@code ../}, absolute paths,
 *       duplicates, existing targets) before any file is written; files are pipelined, many requests per
 *       stream, one session per provider, each renamed into place from {@code .quiver-partial} when complete,
 *       with its mode.</li>
 * </ul>
 * Sessions to a provider are opened once and shared by all transfers of this downloader. Thread-safe.
 */
public final class BlobDownloader implements AutoCloseable {

    private final DownloadOptions options;
    private final List<TransferRun> transfers = new CopyOnWriteArrayList<>();
    private final Map<NodeId, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Connector connector;

    /** How a downloader reaches a provider (for example through a relay when direct dialing fails). */
    @FunctionalInterface
    public interface Connector {
        /** A session to the node of {@code ticket}. */
        PeerSession connect(Ticket ticket) throws IOException, PeerIdentityMismatchException;
    }

    /** A downloader over {@code node} with {@code options}, dialing providers with {@link QuiverNode#connect}. */
    public BlobDownloader(QuiverNode node, DownloadOptions options) {
        this(node, options, node::connect);
    }

    /**
     * A downloader with {@code options} that reaches providers with {@code connector} (a session of {@code node}'s,
     * typically {@code RelayClient::connect}).
     */
    public BlobDownloader(QuiverNode node, DownloadOptions options, Connector connector) {
        Objects.requireNonNull(node, "node");
        this.options = Objects.requireNonNull(options, "options");
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * Starts fetching the blob {@code hash} from {@code providers} into the file {@code target} (appearing there
     * atomically when complete; {@code target.quiver-part} and {@code .quiver-bitmap} meanwhile, resumed if
     * present). An existing target fails the transfer with {@link TargetExistsException} unless {@code replace}.
     */
    public Transfer fetchBlob(BlobHash hash, List<Ticket> providers, Path target, boolean replace) {
        return start(new TransferRun(this, hash, providers, target, replace, false, options));
    }

    /**
     * Starts fetching the collection whose manifest is {@code manifest} from {@code providers} into the directory
     * {@code targetDir} (created if needed). Files already there with the right content count as done; other
     * existing files fail the transfer with {@link TargetExistsException} before anything is written, unless
     * {@code replace}.
     */
    public Transfer fetchCollection(BlobHash manifest, List<Ticket> providers, Path targetDir, boolean replace) {
        return start(new TransferRun(this, manifest, providers, targetDir, replace, true, options));
    }

    /** Every transfer this downloader started, running or finished, oldest first. */
    public List<TransferStatus> transfers() {
        List<TransferStatus> out = new ArrayList<>(transfers.size());
        for (TransferRun t : transfers) {
            out.add(t.status());
        }
        return out;
    }

    /** Cancels every running transfer (their verified parts stay on disk) and closes the sessions it opened. */
    @Override
    public void close() {
        for (TransferRun t : transfers) {
            t.cancel();
        }
        for (TransferRun t : transfers) {
            try {
                t.result().exceptionally(e -> null).get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // Best effort: the transfer keeps winding down in the background.
            }
        }
        sessions.values().forEach(PeerSession::close);
        sessions.clear();
    }

    private Transfer start(TransferRun run) {
        transfers.add(run);
        run.start();
        return run;
    }

    /** The session to {@code ticket}'s node, opened once and reopened if it closed. */
    PeerSession session(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        NodeId id = ticket.nodeId();
        synchronized (sessionLock(id)) {
            PeerSession s = sessions.get(id);
            if (s != null && !s.closeFuture().isDone()) {
                return s;
            }
            s = connector.connect(ticket);
            sessions.put(id, s);
            return s;
        }
    }

    private final Map<NodeId, Object> locks = new ConcurrentHashMap<>();

    private Object sessionLock(NodeId id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }
}
