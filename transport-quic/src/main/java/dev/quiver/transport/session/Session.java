package dev.quiver.transport.session;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.Close;
import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.codec.frame.PathStatus;
import dev.quiver.codec.frame.Ping;
import dev.quiver.codec.frame.Pong;
import dev.quiver.codec.frame.Settings;
import dev.quiver.codec.frame.StopSending;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.frame.StreamReset;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.SessionStats;
import dev.quiver.transport.quic.QuicConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer session over its paths ({@link QuicPath}s, one QUIC connection each). It runs the protocol: Settings
 * first on every path's control stream (the dialer's carry the session token); StreamOpen as the first frame of
 * every carrier of a logical stream (a continuation on all but the first); StreamData with offsets on the
 * carriers; AckRanges, MaxStreamData, StreamReset, StopSending and Close on the control streams of every live path
 * (sent redundantly, they are idempotent, so losing a path loses none of them); Ping/Pong per path as liveness
 * probes. {@link SessionSender} decides which stream sends on which path; the path-level machinery (probes,
 * stalls, reconnects) is {@link SessionPaths}.
 *
 * <p>Thread: all state is owned by the session's event loop (every path of the session lives on it); the public
 * methods hand work to it and wait.
 */
final class Session implements PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final long OPEN_TIMEOUT_SECONDS = 30;

    private final SessionManager manager;
    private final SessionLimits limits;
    private final FrameCodec codec;
    private final NodeId peer;
    private final boolean dialer;
    private final EventLoop loop;
    final SessionPaths paths;
    final SessionAddresses addresses = new SessionAddresses(this);
    private final SessionSender sender;
    private final SessionStreams streams;
    private final CompletableFuture<SessionClosedException> closeFuture = new CompletableFuture<>();
    private final long startNs = System.nanoTime();
    private long token;
    /** Acceptor: the first Settings decided whether this connection opens a session or joins another. */
    private boolean decided;
    /** An accepted connection that joined {@code joinedInto}: frames still read through us are forwarded. */
    private Session joinedInto;
    private Settings peerSettings;
    private long peerCredit;
    private long nextNonce;
    private boolean closed;
    private long controlFramesSent;

    Session(SessionManager manager, SessionLimits limits, QuicConnection connection, long token) {
        this.manager = manager;
        this.limits = limits;
        this.codec = new FrameCodec(limits.frameLimits());
        this.peer = connection.peer();
        this.dialer = connection.isDialed();
        this.loop = connection.channel().eventLoop();
        this.token = token;
        this.decided = dialer;
        this.paths = new SessionPaths(this, manager, limits);
        this.sender = new SessionSender(this, paths, limits.maxPayloadBytes());
        this.streams = new SessionStreams(this, sender, paths);
        paths.adopt(connection, dialer ? PathState.ACTIVE : PathState.JOINING);
    }

    /** Runs on the loop when the first connection is up: the dialer opens the control stream and sends Settings. */
    void start() {
        QuicPath first = paths.all().getFirst();
        if (dialer) {
            first.openControl();
            first.writeControl(new Settings(limits.streamWindowBytes(), limits.maxPayloadBytes(), token, false));
            first.joined.complete(first.id());
        }
        paths.startTicking();
    }

    FrameCodec codec() {
        return codec;
    }

    long token() {
        return token;
    }

    boolean isClosed() {
        return closed;
    }

    /** False for an accepted connection whose first Settings have not said yet which session it belongs to. */
    boolean isDecided() {
        return decided;
    }

    SessionLimits limits() {
        return limits;
    }

    // ---- PeerSession --------------------------------------------------------------------------------------------

    @Override
    public NodeId peer() {
        return peer;
    }

    @Override
    public boolean isDialer() {
        return dialer;
    }

    /** Whether any logical stream is open (loop only): then a silent path means something (SessionPaths). */
    boolean hasOpenStreams() {
        return streams.table().size() > 0;
    }

    @Override
    public LogicalStream openStream(StreamKind kind, PriorityClass priority, int weight) throws IOException {
        if (kind != StreamKind.BLOB && kind != StreamKind.RELAY) {
            throw new IllegalArgumentException("openStream(kind) allocates nonces for BLOB or RELAY streams, not "
                    + kind + "; use openStream(subprotocolId, ...) for services");
        }
        return open(0, kind, priority, weight);
    }

    @Override
    public LogicalStream openStream(int subprotocolId, PriorityClass priority, int weight) throws IOException {
        StreamId.subprotocol(subprotocolId); // validates the range before going to the loop
        return open(subprotocolId, StreamKind.SUBPROTOCOL, priority, weight);
    }

    private LogicalStream open(int service, StreamKind kind, PriorityClass priority, int weight)
            throws IOException {
        if (weight < 1 || weight > StreamOpen.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be in [1, 256], got " + weight);
        }
        CompletableFuture<StreamState> opened = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                opened.complete(openLocal(service, kind, priority, weight));
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
            }
        });
        return new QuiverStream(this, await(opened, "opening a stream"));
    }

    private StreamState openLocal(int service, StreamKind kind, PriorityClass priority, int weight)
            throws IOException {
        if (closed) {
            throw closeFuture.getNow(new SessionClosedException("closed", -1));
        }
        if (streams.table().size() >= limits.maxStreams()) {
            throw new IOException("session with " + peer() + " has " + streams.table().size()
                    + " open streams, the limit");
        }
        StreamId id = nextId(kind, service);
        if (streams.table().containsKey(id)) {
            throw new IOException("stream " + id + " is already open in the session with " + peer());
        }
        StreamState state = register(id, priority, weight, true);
        // Announce the stream at once on the best path (the peer's handler may wait for it before any data);
        // without a live path the first data chunk opens it wherever it goes.
        QuicPath first = paths.best();
        if (first != null) {
            sender.carrierOn(first, state);
            first.flush();
        }
        sender.updateSendable(state);
        return state;
    }

    /**
     * A fresh ID: a nonce for BLOB and RELAY streams, an instance number of {@code service} for SUBPROTOCOL ones
     * (so several streams of one service can be open at once, and a new one is never taken for an earlier one
     * still closing on either side). The dialer uses even numbers and the acceptor odd ones, so the two sides
     * never pick the same ID.
     */
    private StreamId nextId(StreamKind kind, int service) {
        long nonce = (nextNonce++ << 1) | (isDialer() ? 0 : 1);
        return switch (kind) {
            case BLOB -> StreamId.blob(nonce & StreamId.NONCE_MASK);
            case RELAY -> StreamId.relay(nonce & StreamId.NONCE_MASK);
            case SUBPROTOCOL -> StreamId.subprotocol(service, nonce & StreamId.MAX_SUBPROTOCOL_INSTANCE);
            default -> throw new IllegalArgumentException("no fresh IDs for " + kind + " streams");
        };
    }

    private StreamState register(StreamId id, PriorityClass priority, int weight, boolean local) {
        return streams.register(id, priority, weight, local, peerSettings == null ? 0 : peerCredit);
    }

    @Override
    public int addPath(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        if (!dialer) {
            throw new IOException("only the dialer of a session adds paths (this node accepted the session with "
                    + peer.shortString() + ")");
        }
        return await(paths.dial(local == null ? null : local.getAddress(), remote), "adding a path to " + remote);
    }

    @Override
    public void removePath(int pathId) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                paths.remove(pathId);
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        await(done, "removing path " + pathId);
    }

    @Override
    public void announceAddresses(List<AddressUpdate.Entry> entries) throws IOException {
        AddressUpdate update = addresses.next(entries);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            writeControl(update);
            paths.flush();
            done.complete(null);
        });
        await(done, "announcing addresses");
    }

    @Override
    public void onPeerAddresses(java.util.function.Consumer<List<AddressUpdate.Entry>> listener) {
        addresses.listen(listener);
    }

    @Override
    public void setStandby(int pathId, boolean standby) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            QuicPath p = paths.all().stream().filter(q -> q.id() == pathId).findFirst().orElse(null);
            if (p == null) {
                done.completeExceptionally(new IOException("no path " + pathId + " in " + this));
                return;
            }
            p.standby(standby);
            p.flush();
            schedulePump();
            done.complete(null);
        });
        await(done, "setting the standby flag of path " + pathId);
    }

    @Override
    public boolean isStandby(int pathId) throws IOException {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(paths.all().stream().anyMatch(q -> q.id() == pathId && q.standby())));
        return await(result, "reading the standby flag of path " + pathId);
    }

    @Override
    public List<PathStats> paths() throws IOException {
        CompletableFuture<List<PathStats>> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(paths.snapshot()));
        return await(result, "collecting path stats");
    }

    @Override
    public SessionStats stats() throws IOException {
        CompletableFuture<SessionStats> result = new CompletableFuture<>();
        loop.execute(() -> {
            long elapsed = System.nanoTime() - startNs;
            int open = streams.table().size();
            long opened = streams.opened();
            long sent = streams.ackedBytes();
            long received = streams.deliveredBytes();
            long data = sender.dataFramesSent();
            long control = controlFramesSent;
            List<CompletableFuture<ConnectionStats>> each = paths.all().stream().filter(QuicPath::isActive)
                    .map(QuicPath::stats).toList();
            CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                List<ConnectionStats> list = each.stream().filter(f -> !f.isCompletedExceptionally())
                        .map(CompletableFuture::join).toList();
                result.complete(new SessionStats(peer(), elapsed, open, opened, sent, received, data, control,
                        list));
            });
        });
        return await(result, "collecting session stats");
    }

    /** Bytes of ours sent again because the path that carried them died or stalled (for tests and stats). */
    long bytesResent() {
        return sender.bytesResent();
    }

    @Override
    public CompletableFuture<SessionClosedException> closeFuture() {
        return closeFuture;
    }

    @Override
    public void close() {
        loop.execute(() -> {
            if (!closed) {
                writeControl(new Close(ProtocolError.NO_ERROR, "closed"));
                shutdown(new SessionClosedException("closed locally", ProtocolError.NO_ERROR.code()),
                        ProtocolError.NO_ERROR.code(), "closed");
            }
        });
        if (loop.inEventLoop()) {
            return; // the task above runs right after the current one; never block the loop waiting for it
        }
        try {
            closeFuture.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Closing the session with {} did not finish: {}", peer(), e.toString());
        }
    }

    // ---- frames from the peer (event loop) ----------------------------------------------------------------------

    /** A QUIC stream's direction announced logical stream {@code id}. */
    void onStreamHeader(QuicPath from, QuicStreamChannel channel, StreamId id) throws ProtocolException {
        if (joinedInto != null) {
            joinedInto.onStreamHeader(from, channel, id);
            return;
        }
        if (closed) {
            return;
        }
        from.heard = true;
        if (channel.isLocalCreated()) {
            return; // the peer's direction of a QUIC stream we opened: we know what it carries
        }
        if (id.kind() == StreamKind.CONTROL) {
            if (dialer || from.hasControl()) {
                throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                        "a control stream opened by the acceptor, or a second one on one path");
            }
            from.bindControl(channel);
        } else {
            from.bindPeerData(id, channel);
        }
    }

    void onFrame(QuicPath from, StreamId carrier, Frame frame) throws ProtocolException {
        if (joinedInto != null) {
            joinedInto.onFrame(from, carrier, frame);
            return;
        }
        if (closed) {
            return;
        }
        from.heard = true;
        if (carrier.kind() == StreamKind.CONTROL) {
            onControlFrame(from, frame);
            return;
        }
        switch (frame) {
            case StreamOpen open when open.id().equals(carrier) -> accept(from, open);
            default -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    frame.getClass().getSimpleName() + " on the QUIC stream of " + carrier);
        }
    }

    private void onControlFrame(QuicPath from, Frame frame) throws ProtocolException {
        if (!from.settingsReceived && !(frame instanceof Settings)) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "the first control frame must be Settings, got " + frame.getClass().getSimpleName());
        }
        switch (frame) {
            case Settings s -> onSettings(from, s);
            case AckRanges ack -> streams.onAck(ack);
            case MaxStreamData credit -> streams.onCredit(credit);
            case StreamReset reset -> streams.onPeerReset(reset);
            case StopSending stop -> streams.onStopSending(stop);
            case Ping ping -> from.writeControl(new Pong(ping.nonce()));
            case Pong pong -> LOG.trace("Pong {} from {} on {}", pong.nonce(), peer(), from);
            case Close close -> {
                LOG.debug("Session with {} closed by the peer: {} {}", peer(), close.errorCode(), close.reason());
                shutdown(new SessionClosedException("closed by the peer: " + close.reason(), close.errorCode()),
                        ProtocolError.NO_ERROR.code(), "closed by the peer");
            }
            case AddressUpdate update -> addresses.onPeerUpdate(update);
            case PathStatus status -> {
                LOG.debug("Path status from {} on {}: {}", peer(), from, status);
                from.onPeerStatus(status);
                schedulePump();
            }
            case StreamOpen open -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamOpen for " + open.id() + " on the control stream");
            case StreamData data -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamData for " + data.id() + " on the control stream");
        }
    }

    private void onSettings(QuicPath from, Settings s) throws ProtocolException {
        if (from.settingsReceived) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION, "Settings sent twice on one path");
        }
        from.settingsReceived = true;
        if (!decided) {
            decided = true;
            if (s.join()) {
                manager.join(this, from, s.sessionToken());
                return;
            }
            token = s.sessionToken();
            from.writeControl(new Settings(limits.streamWindowBytes(), limits.maxPayloadBytes()));
            from.state(PathState.ACTIVE);
            from.joined.complete(from.id());
            manager.accepted(this);
        } else if (dialer && from.state() == PathState.JOINING) {
            paths.onJoined(from);
        }
        if (peerSettings == null) {
            peerSettings = s;
            peerCredit = s.initialStreamCreditBytes();
            sender.payloadBytes((int) Math.min(limits.maxPayloadBytes(), s.maxPayloadBytes()));
            streams.onInitialCredit(peerCredit);
        }
    }

    /**
     * Acceptor: the connection {@code from} that this (undecided) session was made for joins {@code target}: it
     * becomes one of target's paths, and frames still read through this session go there.
     */
    void handOver(QuicPath from, Session target) {
        joinedInto = target;
        closed = true;
        paths.stopTicking();
        target.paths.adoptAccepted(from);
    }

    private void accept(QuicPath from, StreamOpen open) throws ProtocolException {
        StreamState existing = streams.table().get(open.id());
        if (existing != null) {
            if (open.continuation() || existing.openedByContinuation) {
                existing.openedByContinuation = false;
                from.prioritize(open.id(), open.priority());
                return; // another carrier of a stream we know (or its first open, late)
            }
            throw new ProtocolException(ProtocolError.STREAM_STATE, "StreamOpen for " + open.id()
                    + ", which is open");
        }
        if (open.continuation() && streams.table().recentlyClosed(open.id())) {
            return; // a late carrier of a finished stream: its frames are dropped as late
        }
        if (streams.table().size() >= limits.maxStreams()) {
            LOG.debug("Refusing {} from {}: {} streams open", open.id(), peer(), streams.table().size());
            writeControl(new StopSending(open.id(), ProtocolError.CANCELLED.code()));
            writeControl(new StreamReset(open.id(), ProtocolError.CANCELLED.code(), 0));
            streams.table().forget(open.id());
            streams.applyEarlyFrames(open.id()); // dropped: the stream is recently closed now
            from.closeData(open.id());
            return;
        }
        StreamState state = register(open.id(), open.priority(), open.weight(), false);
        state.openSent = true;
        state.openedByContinuation = open.continuation();
        from.prioritize(open.id(), open.priority());
        streams.applyEarlyFrames(open.id());
        manager.dispatch(this, new QuiverStream(this, state));
    }

    /**
     * StreamData of {@code carrier} at {@code offset}, payload {@code src[index, index + length)}: the reassembly
     * keeps slices of {@code src}, whose reference stays the caller's (FrameReader checked the frame's stream ID).
     * {@code push}: this piece ends a frame without the {@code more} hint, where the reader is to be woken.
     */
    void onStreamData(QuicPath from, StreamId carrier, long offset, ByteBuf src, int index, int length, boolean fin,
                      boolean push) throws ProtocolException {
        if (joinedInto != null) {
            joinedInto.onStreamData(from, carrier, offset, src, index, length, fin, push);
            return;
        }
        if (closed) {
            return;
        }
        from.heard = true;
        from.bytesReceived += length;
        paths.wake();
        streams.onData(carrier, offset, src, index, length, fin, push);
    }

    /** After a read burst on any QUIC stream: deliver to readers, acknowledge, grant credit, flush. */
    void afterRead() {
        if (joinedInto != null) {
            joinedInto.afterRead();
            return;
        }
        if (!closed) {
            streams.afterRead();
            // Acknowledgements that arrived in this read burst freed path budget: fill it now rather than from a
            // later task, while Netty still defers quiche's send to the end of the burst, so the new data leaves
            // with the QUIC ACKs for what was read (a separate task made quiche send an ACK-only packet first).
            sender.pumpIfScheduled();
        }
    }

    /** A protocol error from the peer: close the session with its code; the node serves others on. */
    void protocolError(ProtocolException e) {
        if (joinedInto != null) {
            joinedInto.protocolError(e);
            return;
        }
        LOG.info("Closing the session with {}: {}", peer(), e.getMessage());
        String reason = Close.truncated(e.error().code(), e.getMessage(), 200).reason();
        shutdown(new SessionClosedException("protocol error: " + e.getMessage(), e.error().code()),
                e.error().code(), reason);
    }

    /** A failure of ours (a bug or a resource problem): close with INTERNAL. */
    void fail(Exception e) {
        LOG.warn("Closing the session with {}: {}", peer(), e.toString());
        shutdown(new SessionClosedException(e.getMessage(), ProtocolError.INTERNAL.code()),
                ProtocolError.INTERNAL.code(), "internal error");
    }

    /** The session cannot go on (no path came back in time, or the peer forgot it). */
    void expire(SessionClosedException reason) {
        shutdown(reason, ProtocolError.NO_ERROR.code(), "session expired");
    }

    private void shutdown(SessionClosedException reason, long code, String text) {
        if (closed) {
            return;
        }
        closed = true;
        streams.failAll(reason);
        paths.closeAll(code, text);
        closeFuture.complete(reason);
        manager.onClosed(this);
    }

    // ---- our side (event loop) ----------------------------------------------------------------------------------

    /** Writes a session control frame on every live path (the frames are idempotent; losing a path loses none). */
    void writeControl(Frame frame) {
        controlFramesSent++;
        paths.writeControl(frame);
    }

    /** The session's logical streams. */
    SessionStreams streams() {
        return streams;
    }

    /** Ticks of the path watch so far, read on the loop (tests: an idle session must not wake its loop often). */
    long pathTicks() throws IOException {
        CompletableFuture<Long> ticks = new CompletableFuture<>();
        loop.execute(() -> ticks.complete(paths.ticks()));
        return await(ticks, "reading the tick count");
    }

    void schedulePump() {
        paths.wake();
        sender.schedulePump();
    }

    /** The send buffer of {@code state} emits a chunk (see {@link SessionSender#emitChunk}). */
    void emitChunk(StreamState state, long offset, ByteBuffer src, boolean fin) {
        sender.emitChunk(state, offset, src, fin);
    }

    /** Where readable listeners of this session's streams run (never the event loop). */
    java.util.concurrent.Executor listenerExecutor() {
        return manager.listenerExecutor();
    }

    EventLoop loop() {
        return loop;
    }

    /** Waits for a loop task from an application thread; never call it on the loop. */
    <T> T await(CompletableFuture<T> future, String what) throws IOException {
        if (loop.inEventLoop()) {
            throw new IllegalStateException(what + " would block the event loop; call it from another thread");
        }
        try {
            return future.get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException(what + " timed out after " + OPEN_TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public String toString() {
        return "session with " + peer().shortString() + " over " + paths;
    }
}
