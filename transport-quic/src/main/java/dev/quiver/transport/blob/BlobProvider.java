package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeEncoder;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Serves blobs from a {@link BlobStore} to peers: answers the range requests of every blob logical stream a peer
 * opens (messages: {@link BlobWire}) with range responses ({@link RangeEncoder}: group data interleaved with the
 * tree nodes that prove it), in order, so a downloader can pipeline many requests on one stream. A blob the store
 * lacks gets the one-byte {@code NOT_FOUND} answer; a request above {@link ProviderLimits#maxGroupsPerRequest}
 * or a malformed message resets the stream. Each stream runs on its own virtual thread (the node's stream
 * handler), so disk reads never touch the event loop, and many streams share the connection through the
 * session's fair scheduler.
 *
 * <pre>{@code
 * BlobProvider provider = BlobProvider.start(node, store, ProviderLimits.DEFAULT);
 * provider.onDownloadComplete(done -> System.out.println(done.peer() + " has " + done.hash()));
 * }</pre>
 * Thread-safe.
 */
public final class BlobProvider implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlobProvider.class);
    /** Response bytes staged per write: big writes keep the per-call cost of the stream small. */
    private static final int WRITE_CHUNK = 256 * 1024;
    /** Request bytes read ahead: a downloader's batch of small-file requests (~45 bytes each) fits whole. */
    private static final int READ_BUFFER = 16 * 1024;

    private final BlobStore store;
    private final ProviderLimits limits;
    private final LongAdder bytesServed = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Map<NodeId, LongAdder> byPeer = new ConcurrentHashMap<>();
    private final List<Consumer<DownloadComplete>> listeners = new CopyOnWriteArrayList<>();
    private final Set<LogicalStream> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private BlobProvider(BlobStore store, ProviderLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /** Starts serving {@code store} on {@code node}'s blob streams (replacing any earlier blob handler). */
    public static BlobProvider start(QuiverNode node, BlobStore store, ProviderLimits limits) {
        BlobProvider provider = new BlobProvider(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(limits, "limits"));
        node.handle(StreamKind.BLOB, provider::serve);
        return provider;
    }

    /** Calls {@code listener} (on the stream's virtual thread) whenever a downloader reports a finished hash. */
    public void onDownloadComplete(Consumer<DownloadComplete> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A snapshot of the counters. */
    public ProviderStats stats() {
        Map<NodeId, Long> peers = new HashMap<>();
        byPeer.forEach((k, v) -> peers.put(k, v.sum()));
        return new ProviderStats(bytesServed.sum(), requests.sum(), notFound.sum(), refused.sum(), peers);
    }

    /** Stops serving: open blob streams are reset and new ones refused. The node keeps running. */
    @Override
    public void close() {
        closed = true;
        for (LogicalStream s : active) {
            s.reset(BlobWire.RESET_ABANDONED);
        }
    }

    private void serve(PeerSession session, LogicalStream stream) throws IOException {
        if (closed) {
            stream.reset(BlobWire.RESET_ABANDONED);
            return;
        }
        active.add(stream);
        LongAdder peerBytes = byPeer.computeIfAbsent(session.peer(), k -> new LongAdder());
        InputStream in = new BufferedInputStream(stream.inputStream(), READ_BUFFER);
        OutputStream out = stream.outputStream();
        ByteBuffer staged = ByteBuffer.allocate(WRITE_CHUNK);
        OpenSource open = new OpenSource();
        try {
            for (int type = in.read(); type >= 0 && !closed; type = in.read()) {
                switch (type) {
                    case BlobWire.REQUEST -> {
                        RangeRequest request = BlobWire.readRequest(in);
                        if (request.groupCount() > limits.maxGroupsPerRequest()) {
                            refuse(stream, session, "asks " + request.groupCount() + " groups, cap "
                                    + limits.maxGroupsPerRequest());
                            return;
                        }
                        requests.increment();
                        long sent = answer(request, open, out, staged);
                        bytesServed.add(sent);
                        peerBytes.add(sent);
                    }
                    case BlobWire.COMPLETE -> completed(session.peer(), BlobWire.readComplete(in));
                    default -> {
                        refuse(stream, session, "unknown message type " + type);
                        return;
                    }
                }
                // Answers to requests that arrived together leave in one write (one packet for dozens of small
                // files instead of one each); before a read that would block, everything staged goes out.
                if (in.available() == 0) {
                    flush(out, staged);
                }
            }
            flush(out, staged);
            out.close();
        } catch (ProtocolException e) {
            refuse(stream, session, e.getMessage());
        } finally {
            active.remove(stream);
            open.close();
        }
    }

    private void refuse(LogicalStream stream, PeerSession session, String why) {
        refused.increment();
        LOG.info("refusing blob stream {} of {}: {}", stream.id(), session.peer().shortString(), why);
        stream.reset(BlobWire.RESET_REFUSED);
    }

    private void completed(NodeId peer, BlobHash hash) {
        DownloadComplete event = new DownloadComplete(peer, hash);
        for (Consumer<DownloadComplete> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("download-complete listener failed", e);
            }
        }
    }

    /**
     * Stages the whole response to {@code request} in {@code staged}, writing it out whenever it fills; returns the
     * response's length. What is left staged goes out with the next {@link #flush}.
     */
    private long answer(RangeRequest request, OpenSource open, OutputStream out, ByteBuffer staged)
            throws IOException {
        RangeSource source = open.get(request.hash());
        if (source == null) {
            notFound.increment();
            byte[] nf = RangeEncoder.notFound();
            if (staged.remaining() < nf.length) {
                flush(out, staged);
            }
            staged.put(nf);
            return nf.length;
        }
        RangeEncoder encoder = new RangeEncoder(source, request);
        if (staged.remaining() < RangeEncoder.MAX_HEADER_LENGTH) {
            flush(out, staged);
        }
        long total = 0;
        while (true) {
            int before = staged.position();
            boolean done = encoder.encode(staged);
            total += staged.position() - before;
            if (done) {
                return total;
            }
            flush(out, staged);
        }
    }

    private static void flush(OutputStream out, ByteBuffer staged) throws IOException {
        if (staged.position() > 0) {
            out.write(staged.array(), 0, staged.position());
            staged.clear();
        }
    }

    /** The last blob a stream asked for, kept open while the next requests name it too (one file open per blob). */
    private final class OpenSource {
        private BlobHash hash;
        private RangeSource source;
        private final ReadAheadSource readAhead = new ReadAheadSource();
        private boolean present;

        RangeSource get(BlobHash wanted) throws IOException {
            if (wanted.equals(hash)) {
                return present ? readAhead : null;
            }
            close();
            hash = wanted;
            try {
                source = store.open(wanted);
                present = true;
                return readAhead.reset(source);
            } catch (BlobNotFoundException e) {
                present = false;
                return null;
            }
        }

        void close() {
            if (source != null) {
                try {
                    source.close();
                } catch (IOException e) {
                    LOG.debug("closing {}", hash, e);
                }
            }
            source = null;
            present = false;
            hash = null;
        }
    }
}
