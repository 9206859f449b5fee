package dev.quiver.transport.session;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.Close;
import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.MaxStreamData;
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
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.SessionStats;
import dev.quiver.transport.StreamResetException;
import dev.quiver.transport.quic.QuicConnection;
import dev.quiver.transport.sched.FairScheduler;
import dev.quiver.transport.sched.GrantSink;
import dev.quiver.transport.sched.NanoClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer session over its paths (one {@link QuicPath} for now). It runs the protocol: Settings first on the
 * control stream; StreamOpen as the first frame of a logical stream's QUIC stream (so it always precedes that
 * stream's data); StreamData with offsets on that QUIC stream; AckRanges, MaxStreamData, StreamReset, StopSending,
 * Ping/Pong and Close on the control stream. The {@link FairScheduler} decides which stream sends whenever the path
 * has budget. Any {@link ProtocolException} closes the connection with its code.
 *
 * <p>Thread: all state is owned by the connection's event loop; the public methods hand work to it and wait.
 */
final class Session implements PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int CLOSED_IDS_REMEMBERED = 16384;
    private static final long OPEN_TIMEOUT_SECONDS = 30;
    /**
     * Acknowledge at once after this many new bytes of a stream; less waits up to {@link #ACK_DELAY_US}. One ack
     * per read burst would cost a packet per data packet (measured: most of the CPU), so acks are coalesced like
     * QUIC's own (RFC 9000 §13.2.1 max_ack_delay).
     */
    private static final long ACK_THRESHOLD_BYTES = 128 << 10;
    private static final long ACK_DELAY_US = 1000;
    /** Extra bytes CONTROL and INTERACTIVE streams may put in flight beyond the path allowance. */
    private static final int PRIORITY_RESERVE_BYTES = 256 << 10;

    private final SessionManager manager;
    private final SessionLimits limits;
    private final FrameCodec codec;
    private final QuicConnection connection;
    private final EventLoop loop;
    private final QuicPath path;
    private final FairScheduler scheduler;
    private final Map<StreamId, StreamState> streams = new HashMap<>();
    private final LinkedHashSet<StreamId> closedIds = new LinkedHashSet<>();
    private final List<StreamState> dirty = new ArrayList<>();
    private final List<StreamState> delayedAcks = new ArrayList<>();
    private boolean ackTimerArmed;
    private final CompletableFuture<SessionClosedException> closeFuture = new CompletableFuture<>();
    private final GrantSink grantSink = this::grant;
    private final long startNs = System.nanoTime();
    private StreamState[] byHandle = new StreamState[64];
    private Settings peerSettings;
    private long peerCredit;
    private int payloadBytes;
    private long nextNonce;
    private boolean closed;
    private boolean pumpScheduled;
    private long peerCloseCode = -1;
    private long streamsOpened;
    private long appBytesAcked;
    private long appBytesDelivered;
    private long dataFramesSent;
    private long controlFramesSent;

    Session(SessionManager manager, SessionLimits limits, QuicConnection connection) {
        this.manager = manager;
        this.limits = limits;
        this.codec = new FrameCodec(limits.frameLimits());
        this.connection = connection;
        this.loop = connection.channel().eventLoop();
        this.path = new QuicPath(0, connection, this, limits.pathInflightBytes());
        // One quantum per turn is one full frame: smaller turns would cut frames (and quiche writes) smaller.
        this.scheduler = new FairScheduler(NanoClock.system(),
                Math.max(FairScheduler.DEFAULT_QUANTUM_BYTES, limits.maxPayloadBytes()));
        this.payloadBytes = limits.maxPayloadBytes();
    }

    /** Runs on the loop when the connection is up: the dialer opens the control stream; both send Settings. */
    void start() {
        connection.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof QuicConnectionCloseEvent close) {
                    LOG.debug("Connection to {} closing: {}", peer(), close);
                    if (close.isApplicationClose()) {
                        peerCloseCode = close.error();
                    }
                }
                ctx.fireUserEventTriggered(event);
            }
        });
        if (connection.isDialed()) {
            path.openControl();
        }
        writeControl(new Settings(limits.streamWindowBytes(), limits.maxPayloadBytes()));
    }

    QuicPath primaryPath() {
        return path;
    }

    FrameCodec codec() {
        return codec;
    }

    // ---- PeerSession --------------------------------------------------------------------------------------------

    @Override
    public NodeId peer() {
        return connection.peer();
    }

    @Override
    public boolean isDialer() {
        return connection.isDialed();
    }

    @Override
    public LogicalStream openStream(StreamKind kind, PriorityClass priority, int weight) throws IOException {
        if (kind != StreamKind.BLOB && kind != StreamKind.RELAY) {
            throw new IllegalArgumentException("openStream(kind) allocates nonces for BLOB or RELAY streams, not "
                    + kind + "; use openStream(subprotocolId, ...) for services");
        }
        return open(null, kind, priority, weight);
    }

    @Override
    public LogicalStream openStream(int subprotocolId, PriorityClass priority, int weight) throws IOException {
        return open(StreamId.subprotocol(subprotocolId), StreamKind.SUBPROTOCOL, priority, weight);
    }

    private LogicalStream open(StreamId fixed, StreamKind kind, PriorityClass priority, int weight)
            throws IOException {
        if (weight < 1 || weight > StreamOpen.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be in [1, 256], got " + weight);
        }
        CompletableFuture<StreamState> opened = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                opened.complete(openLocal(fixed, kind, priority, weight));
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
            }
        });
        return new QuiverStream(this, await(opened, "opening a stream"));
    }

    private StreamState openLocal(StreamId fixed, StreamKind kind, PriorityClass priority, int weight)
            throws IOException {
        if (closed) {
            throw closeFuture.getNow(new SessionClosedException("closed", -1));
        }
        if (streams.size() >= limits.maxStreams()) {
            throw new IOException("session with " + peer() + " has " + streams.size() + " open streams, the limit");
        }
        StreamId id = fixed != null ? fixed : nextId(kind);
        if (streams.containsKey(id)) {
            throw new IOException("stream " + id + " is already open in the session with " + peer());
        }
        closedIds.remove(id);
        StreamState state = register(id, priority, weight, true);
        path.openData(state, new StreamOpen(id, priority, weight), () -> updateSendable(state));
        return state;
    }

    private StreamId nextId(StreamKind kind) {
        // The dialer uses even nonces and the acceptor odd ones, so the two sides never pick the same ID.
        long nonce = ((nextNonce++ << 1) | (isDialer() ? 0 : 1)) & StreamId.NONCE_MASK;
        return kind == StreamKind.BLOB ? StreamId.blob(nonce) : StreamId.relay(nonce);
    }

    private StreamState register(StreamId id, PriorityClass priority, int weight, boolean local) {
        StreamState state = new StreamState(this, path, id, priority, weight, local, limits.streamWindowBytes(),
                peerSettings == null ? 0 : peerCredit, limits.maxAckRanges());
        state.handle = scheduler.register(priority, weight);
        if (state.handle >= byHandle.length) {
            byHandle = Arrays.copyOf(byHandle, Math.max(byHandle.length * 2, state.handle + 1));
        }
        byHandle[state.handle] = state;
        streams.put(id, state);
        streamsOpened++;
        return state;
    }

    @Override
    public SessionStats stats() throws IOException {
        CompletableFuture<SessionStats> result = new CompletableFuture<>();
        loop.execute(() -> {
            long elapsed = System.nanoTime() - startNs;
            int open = streams.size();
            long opened = streamsOpened;
            long sent = appBytesAcked + streams.values().stream().mapToLong(StreamState::ackedBytes).sum();
            long received = appBytesDelivered + streams.values().stream()
                    .mapToLong(StreamState::deliveredBytes).sum();
            long data = dataFramesSent;
            long control = controlFramesSent;
            path.stats().whenComplete((pathStats, e) -> {
                List<ConnectionStats> paths = e == null ? List.of(pathStats) : List.of();
                result.complete(new SessionStats(peer(), elapsed, open, opened, sent, received, data, control,
                        paths));
            });
        });
        return await(result, "collecting session stats");
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
        if (closed) {
            return;
        }
        if (channel.isLocalCreated()) {
            return; // the peer's direction of a QUIC stream we opened: we know what it carries
        }
        if (id.kind() == StreamKind.CONTROL) {
            if (connection.isDialed() || from.hasControl()) {
                throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                        "a control stream opened by the acceptor, or a second one");
            }
            from.bindControl(channel);
        } else {
            from.bindPeerData(id, channel);
        }
    }

    void onFrame(QuicPath from, StreamId carrier, Frame frame) throws ProtocolException {
        if (closed) {
            return;
        }
        if (carrier.kind() == StreamKind.CONTROL) {
            onControlFrame(frame);
            return;
        }
        switch (frame) {
            case StreamOpen open when open.id().equals(carrier) -> accept(from, open);
            default -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    frame.getClass().getSimpleName() + " on the QUIC stream of " + carrier);
        }
    }

    private void onControlFrame(Frame frame) throws ProtocolException {
        if (peerSettings == null && !(frame instanceof Settings)) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "the first control frame must be Settings, got " + frame.getClass().getSimpleName());
        }
        switch (frame) {
            case Settings s -> onSettings(s);
            case AckRanges ack -> onAck(ack);
            case MaxStreamData credit -> {
                StreamState s = known(credit.id());
                if (s != null) {
                    s.onCredit(credit);
                    updateSendable(s);
                }
            }
            case StreamReset reset -> {
                StreamState s = known(reset.id());
                if (s != null) {
                    s.onPeerReset(reset);
                    maybeRemove(s);
                }
            }
            case StopSending stop -> {
                StreamState s = known(stop.id());
                if (s != null) {
                    sendReset(s, s.onStopSending(stop));
                    maybeRemove(s);
                }
            }
            case Ping ping -> writeControl(new Pong(ping.nonce()));
            case Pong pong -> LOG.trace("Pong {} from {}", pong.nonce(), peer());
            case Close close -> {
                LOG.debug("Session with {} closed by the peer: {} {}", peer(), close.errorCode(), close.reason());
                shutdown(new SessionClosedException("closed by the peer: " + close.reason(), close.errorCode()),
                        ProtocolError.NO_ERROR.code(), "closed by the peer");
            }
            case PathStatus status -> LOG.debug("Path status from {}: {}", peer(), status);
            case StreamOpen open -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamOpen for " + open.id() + " on the control stream");
            case StreamData data -> throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamData for " + data.id() + " on the control stream");
        }
    }

    private void onSettings(Settings s) throws ProtocolException {
        if (peerSettings != null) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION, "Settings sent twice");
        }
        peerSettings = s;
        peerCredit = s.initialStreamCreditBytes();
        payloadBytes = (int) Math.min(limits.maxPayloadBytes(), s.maxPayloadBytes());
        for (StreamState state : streams.values()) {
            state.onInitialCredit(peerCredit);
            updateSendable(state);
        }
    }

    private void onAck(AckRanges ack) throws ProtocolException {
        StreamState s = known(ack.id());
        if (s == null) {
            return;
        }
        long released = s.onAck(ack.ranges());
        if (released > 0) {
            path.release(released);
            schedulePump();
        }
        maybeRemove(s);
    }

    /**
     * The open stream {@code id}, or {@code null} for one recently closed (late frames are harmless); a frame for
     * a stream never opened is a STREAM_STATE error.
     */
    private StreamState known(StreamId id) throws ProtocolException {
        StreamState s = streams.get(id);
        if (s == null && !closedIds.contains(id)) {
            throw new ProtocolException(ProtocolError.STREAM_STATE, "frame for " + id + ", which is not open");
        }
        return s;
    }

    private void accept(QuicPath from, StreamOpen open) throws ProtocolException {
        StreamState existing = streams.get(open.id());
        if (existing != null) {
            throw new ProtocolException(ProtocolError.STREAM_STATE, "StreamOpen for " + open.id()
                    + ", which is open");
        }
        closedIds.remove(open.id());
        if (streams.size() >= limits.maxStreams()) {
            LOG.debug("Refusing {} from {}: {} streams open", open.id(), peer(), streams.size());
            writeControl(new StopSending(open.id(), ProtocolError.CANCELLED.code()));
            writeControl(new StreamReset(open.id(), ProtocolError.CANCELLED.code(), 0));
            forget(open.id());
            from.closeData(open.id());
            return;
        }
        StreamState state = register(open.id(), open.priority(), open.weight(), false);
        from.prioritize(open.id(), open.priority());
        manager.dispatch(this, new QuiverStream(this, state));
    }

    /**
     * StreamData of {@code carrier} at {@code offset}, payload {@code src[index, index + length)}: the reassembly
     * keeps slices of {@code src}, whose reference stays the caller's (FrameReader checked the frame's stream ID).
     */
    void onStreamData(StreamId carrier, long offset, ByteBuf src, int index, int length, boolean fin)
            throws ProtocolException {
        StreamState s = closed ? null : known(carrier);
        if (s == null) {
            return;
        }
        s.onData(offset, src, index, length, fin);
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    /** After a read burst on any QUIC stream: deliver to readers, acknowledge, grant credit, flush. */
    void afterRead() {
        if (closed || dirty.isEmpty()) {
            return;
        }
        for (StreamState s : dirty) {
            s.dirty = false;
            MaxStreamData credit = s.deliver();
            if (s.ackUrgent(ACK_THRESHOLD_BYTES)) {
                sendAck(s);
            } else if (!s.ackPending) {
                s.ackPending = true;
                delayedAcks.add(s);
                armAckTimer();
            }
            if (credit != null) {
                writeControl(credit);
            }
        }
        for (StreamState s : dirty) {
            maybeRemove(s);
        }
        dirty.clear();
        path.flush();
    }

    private void sendAck(StreamState s) {
        s.ackPending = false;
        AckRanges ack = s.pollAck(limits.maxAckRanges());
        if (ack != null) {
            writeControl(ack);
        }
    }

    private void armAckTimer() {
        if (!ackTimerArmed) {
            ackTimerArmed = true;
            loop.schedule(this::flushDelayedAcks, ACK_DELAY_US, TimeUnit.MICROSECONDS);
        }
    }

    private void flushDelayedAcks() {
        ackTimerArmed = false;
        if (closed) {
            return;
        }
        for (StreamState s : delayedAcks) {
            if (s.ackPending) {
                s.ackPending = false;
                sendAck(s);
            }
        }
        delayedAcks.clear();
        path.flush();
    }

    /** A protocol error from the peer: close the connection with its code; the node serves others on. */
    void protocolError(ProtocolException e) {
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

    /** The connection closed (by either side, or idle timeout). */
    void onPathClosed() {
        shutdown(new SessionClosedException("the connection to " + peer() + " closed", peerCloseCode),
                ProtocolError.NO_ERROR.code(), "connection closed");
    }

    void onDataOpenFailed(StreamState state, Throwable cause) {
        IOException e = new IOException("cannot open a QUIC stream for " + state.id() + ": " + cause.getMessage(),
                cause);
        state.pipe().failSend(e);
        state.pipe().failReceive(e);
        remove(state);
    }

    private void shutdown(SessionClosedException reason, long code, String text) {
        if (closed) {
            return;
        }
        closed = true;
        for (StreamState s : streams.values()) {
            s.pipe().failSend(reason);
            s.pipe().failReceive(reason);
            s.releaseReceived();
        }
        streams.clear();
        dirty.clear();
        delayedAcks.clear();
        path.close(code, text);
        closeFuture.complete(reason);
        manager.onClosed(this);
    }

    // ---- our side (event loop) ----------------------------------------------------------------------------------

    void writeControl(Frame frame) {
        controlFramesSent++;
        path.writeControl(frame);
    }

    /** Application bytes were handed over to {@code state}: move them into its send buffer and schedule. */
    void onOutput(StreamState state) {
        if (closed || !streams.containsKey(state.id())) {
            return;
        }
        state.takeOutput();
        updateSendable(state);
    }

    /** The reader of {@code state} made room: deliver more, and grant credit. */
    void onReaderRoom(StreamState state) {
        if (closed || !streams.containsKey(state.id())) {
            return;
        }
        MaxStreamData credit = state.deliver();
        if (credit != null) {
            writeControl(credit);
            path.flush();
        }
        maybeRemove(state);
    }

    /** The application reset {@code state} with {@code code}: both directions end. */
    void resetLocal(StreamState state, long code) {
        if (closed || !streams.containsKey(state.id())) {
            return;
        }
        StreamResetException local = new StreamResetException(state.id().toString(), code, false);
        sendReset(state, state.abandonSend(code, local));
        StopSending stop = state.stopReceiving(code, local);
        if (stop != null) {
            writeControl(stop);
        }
        path.flush();
        maybeRemove(state);
    }

    /** The application closed its reader before the end: ask the peer to stop. */
    void stopReceiving(StreamState state, long code) {
        if (closed || !streams.containsKey(state.id())) {
            return;
        }
        StopSending stop = state.stopReceiving(code,
                new StreamResetException(state.id().toString(), code, false));
        if (stop != null) {
            writeControl(stop);
            path.flush();
        }
        maybeRemove(state);
    }

    private void sendReset(StreamState state, StreamReset reset) {
        if (reset != null) {
            writeControl(reset);
            path.release(state.unackedBytes());
            scheduler.setSendable(state.handle, 0);
            schedulePump();
        }
    }

    private void updateSendable(StreamState state) {
        if (state.handle < 0 || !path.hasData(state.id())) {
            return;
        }
        long sendable = state.sendableBytes();
        scheduler.setSendable(state.handle, sendable);
        if (sendable > 0) {
            schedulePump();
        }
    }

    private void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            loop.execute(this::pump);
        }
    }

    /** Lets the scheduler hand the path's budget to streams, highest class first, then flushes once. */
    private void pump() {
        pumpScheduled = false;
        if (closed) {
            return;
        }
        int budget = path.budgetBytes();
        if (scheduler.hasWork(PriorityClass.CONTROL) || scheduler.hasWork(PriorityClass.INTERACTIVE)) {
            // Small latency-sensitive messages must not wait behind a full path of bulk bytes; quiche's stream
            // urgency then sends them ahead of the queued bulk bytes.
            budget += PRIORITY_RESERVE_BYTES;
        }
        if (budget > 0 && scheduler.hasWork()) {
            scheduler.drain(budget, grantSink);
        }
        path.flush();
    }

    private void grant(int handle, int bytes) {
        StreamState state = byHandle[handle];
        int left = bytes;
        while (left > 0) {
            int n = state.emit(Math.min(left, payloadBytes));
            if (n == 0) {
                break;
            }
            dataFramesSent++;
            left -= n;
        }
        scheduler.setSendable(handle, state.sendableBytes());
    }

    private void maybeRemove(StreamState state) {
        if (state.isDone() && streams.get(state.id()) == state) {
            remove(state);
        }
    }

    private void remove(StreamState state) {
        streams.remove(state.id());
        state.releaseReceived();
        if (state.handle >= 0) {
            scheduler.unregister(state.handle);
            byHandle[state.handle] = null;
            state.handle = -1;
        }
        appBytesAcked += state.ackedBytes();
        appBytesDelivered += state.deliveredBytes();
        forget(state.id());
        path.closeData(state.id());
    }

    private void forget(StreamId id) {
        closedIds.add(id);
        if (closedIds.size() > CLOSED_IDS_REMEMBERED) {
            Iterator<StreamId> oldest = closedIds.iterator();
            oldest.next();
            oldest.remove();
        }
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
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " timed out after " + OPEN_TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public String toString() {
        return "session with " + peer().shortString() + " over " + path;
    }
}
