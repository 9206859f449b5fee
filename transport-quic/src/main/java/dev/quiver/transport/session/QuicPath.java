package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.PathStatus;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamHeader;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.WireWriter;
import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.path.PathEstimator;
import dev.quiver.transport.path.PathScheduler;
import dev.quiver.transport.path.StallDetector;
import dev.quiver.transport.quic.QuicConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A direct QUIC connection used as a path of a session. Each logical stream this path carries has a bidirectional
 * QUIC stream on it (a carrier), opened by whichever side first sends that stream's bytes here; each direction of
 * every QUIC stream starts with the 8-byte {@link StreamHeader}, and a carrier opened by a sender then starts with
 * a {@link StreamOpen} (a continuation on every carrier but the stream's very first). Writes to a carrier whose
 * QUIC stream is still being created wait in order. The session's control stream on this path is the QUIC stream
 * the dialer opens first; each path has one, starting with Settings.
 *
 * <p>Ordering between logical streams is the fair scheduler's: the path takes only its adaptive allowance
 * ({@link PathEstimator}) of unacknowledged bytes, so little waits inside quiche, and quiche's own stream
 * priorities (RFC 9218 urgency) mirror the scheduling classes so control and interactive bytes overtake queued
 * bulk bytes.
 *
 * <p>Thread: owned by the session's event loop (every path of a session lives on it).
 */
final class QuicPath implements Path, PathScheduler.Candidate {
    private static final Logger LOG = LoggerFactory.getLogger(QuicPath.class);

    /** RFC 9218 urgency per scheduling class (lower is served first); the control stream is most urgent. */
    /**
     * Payloads from this size on are written as views of the send buffer; smaller ones are copied behind their
     * header (a copy of a few KiB costs less than a second component: one more quiche stream write).
     */
    static final int MIN_VIEW_BYTES = 4096;
    private static final QuicStreamPriority CONTROL_PRIORITY = new QuicStreamPriority(0, false);

    private int id;
    private final QuicConnection connection;
    private Session session;
    private final ByteBufAllocator alloc;
    private final Map<StreamId, DataChannel> data = new HashMap<>();
    private final List<DataChannel> dirty = new ArrayList<>();
    private final ArrayDeque<ByteBuf> pendingControl = new ArrayDeque<>();
    final PathEstimator estimator;
    final StallDetector stall;
    /** Set by every frame that arrives here; folded into {@link #stall} by the session's tick. */
    boolean heard;
    boolean settingsReceived;
    long lastProbeNs;
    long stalledAtNs;
    long bytesReceived;
    long peerCloseCode = -1;
    final CompletableFuture<Integer> joined = new CompletableFuture<>();
    private PathState state;
    private QuicStreamChannel control;
    private boolean controlDirty;
    private boolean closeSent;
    private ConnectionStats lastStats;
    private double lossRatio;
    /** Carries data only when no other path can (see {@link PathScheduler.Candidate#standby()}). */
    private boolean standby;
    /** Sequence of the last PathStatus this side sent on the path, and of the last the peer sent. */
    private long statusSent;
    private long statusHeard = -1;

    /** One QUIC stream carrying a logical stream on this path. */
    private static final class DataChannel {
        QuicStreamChannel channel;
        /**
         * Frames not yet handed to the QUIC stream: written since the last flush, or before quiche created the
         * stream. They go to it as one write ({@link #writeBatch}).
         */
        final List<ByteBuf> batch = new ArrayList<>(4);
        /** Further QUIC streams the peer opened for the same logical stream: FIN'd with this one. */
        List<QuicStreamChannel> extra;
        boolean headerSent;
        boolean dirty;
        boolean finAfterOpen;

        DataChannel(QuicStreamChannel channel, boolean headerSent) {
            this.channel = channel;
            this.headerSent = headerSent;
        }
    }

    QuicPath(int id, QuicConnection connection, Session session, PathState state, long floorBytes,
             long ceilingBytes) {
        this.id = id;
        this.connection = connection;
        this.session = session;
        this.state = state;
        this.alloc = connection.channel().alloc();
        this.estimator = new PathEstimator(floorBytes, ceilingBytes);
        this.stall = new StallDetector(System.nanoTime());
        connection.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof QuicConnectionCloseEvent close && close.isApplicationClose()) {
                    peerCloseCode = close.error();
                }
                ctx.fireUserEventTriggered(event);
            }
        });
    }

    @Override
    public int id() {
        return id;
    }

    Session session() {
        return session;
    }

    /** An accepted connection turned out to join {@code target}: it becomes that session's path {@code newId}. */
    void moveTo(Session target, int newId) {
        session = target;
        id = newId;
    }

    QuicConnection connection() {
        return connection;
    }

    PathState state() {
        return state;
    }

    void state(PathState value) {
        state = value;
    }

    @Override
    public boolean isActive() {
        return state != PathState.CLOSED && connection.isActive();
    }

    // ---- PathScheduler.Candidate --------------------------------------------------------------------------------

    @Override
    public boolean usable() {
        return state == PathState.ACTIVE && connection.isActive();
    }

    /** The budget with {@code extraBytes} more allowance (for control and interactive bytes). */
    long budgetBytes(long extraBytes) {
        return Math.max(0, estimator.allowanceBytes() + extraBytes - estimator.inflightBytes());
    }

    @Override
    public PathEstimator estimator() {
        return estimator;
    }

    @Override
    public double lossRatio() {
        return lossRatio;
    }

    @Override
    public boolean standby() {
        return standby;
    }

    /** Sets standby here and tells the peer, whose end of this connection follows (draft-ietf-quic-multipath). */
    void standby(boolean value) {
        standby = value;
        writeControl(new PathStatus(id, statusSent++, value ? PathStatus.Status.STANDBY : PathStatus.Status.ACTIVE));
    }

    /**
     * The peer's PathStatus, which arrived on this path's control stream and so names this connection whatever
     * path number the peer gives it; older sequences are ignored. ABANDON is the peer's business (it removes
     * the path, and the close reaches us): no change here.
     */
    void onPeerStatus(PathStatus status) {
        if (status.sequence() <= statusHeard) {
            return;
        }
        statusHeard = status.sequence();
        switch (status.status()) {
            case STANDBY -> standby = true;
            case ACTIVE -> standby = false;
            case ABANDON -> { }
        }
    }

    /** A fresh quiche snapshot: the loss ratio is taken over the interval since the previous one. */
    void onStats(ConnectionStats stats) {
        ConnectionStats before = lastStats;
        lastStats = stats;
        long sent = stats.sentPackets() - (before == null ? 0 : before.sentPackets());
        long lost = stats.lostPackets() - (before == null ? 0 : before.lostPackets());
        if (sent >= 50) {
            double sample = (double) lost / sent;
            lossRatio = lossRatio * 0.5 + sample * 0.5;
        } else if (before == null) {
            lossRatio = stats.lossRatio();
        }
    }

    PathStats snapshot() {
        InetSocketAddress local = lastStats != null ? lastStats.localAddress() : connection.localAddress();
        InetSocketAddress remote = lastStats != null ? lastStats.remoteAddress() : connection.remoteAddress();
        return new PathStats(id, local, remote, state, estimator.srttNs(), estimator.minRttNs(),
                estimator.goodputBytesPerSecond() * 8, lossRatio, estimator.inflightBytes(),
                estimator.allowanceBytes(), estimator.sentBytes(), estimator.ackedBytes(), estimator.lostBytes(),
                bytesReceived);
    }

    // ---- control stream -----------------------------------------------------------------------------------------

    /** Dialer: opens the control stream; frames written before it exists wait in order. */
    void openControl() {
        connection.openStream(new FrameReader(session, this)).whenComplete((ch, e) -> {
            if (e != null) {
                LOG.debug("Cannot open the control stream of {}: {}", this, e.toString());
                close(0, "no control stream");
                return;
            }
            bindControl(ch);
        });
    }

    /** The control stream exists (opened by us, or the peer's arrived): write our header and what waited. */
    void bindControl(QuicStreamChannel ch) {
        control = ch;
        ch.updatePriority(CONTROL_PRIORITY);
        ch.write(header(StreamId.control()), ch.voidPromise());
        while (!pendingControl.isEmpty()) {
            ch.write(pendingControl.poll(), ch.voidPromise());
        }
        ch.flush();
    }

    boolean hasControl() {
        return control != null;
    }

    @Override
    public void writeControl(Frame frame) {
        if (state == PathState.CLOSED) {
            return;
        }
        ByteBuf buf = encode(frame);
        if (control == null) {
            pendingControl.add(buf);
            return;
        }
        control.write(buf, control.voidPromise());
        controlDirty = true;
    }

    // ---- data carriers ------------------------------------------------------------------------------------------

    /**
     * Makes sure {@code stream} has a carrier here, opening one (header, then {@code open}) if not. Writes made
     * before quiche has created the QUIC stream wait for it in order.
     */
    @Override
    public void ensureCarrier(StreamState stream, StreamOpen open) {
        if (data.containsKey(stream.id())) {
            return;
        }
        DataChannel dc = new DataChannel(null, true);
        data.put(stream.id(), dc);
        connection.openStream(new FrameReader(session, this)).whenComplete((ch, e) -> {
            if (e != null) {
                releasePending(dc);
                if (data.get(stream.id()) == dc) {
                    data.remove(stream.id());
                }
                if (isActive()) {
                    session.streams().onDataOpenFailed(stream, e);
                } // else the path is closing: the session re-sends what this carrier held on another path
                return;
            }
            dc.channel = ch;
            prioritize(ch, stream.priority());
            dc.batch.addAll(0, List.of(header(stream.id()), encode(open)));
            writeBatch(dc); // header, open and what waited for the stream: one write, so one send
            if (dc.finAfterOpen) {
                finish(stream.id(), ch);
            }
        });
    }

    /** The peer opened {@code ch} for logical stream {@code id}: our direction of it carries our bytes. */
    void bindPeerData(StreamId id, QuicStreamChannel ch) {
        DataChannel existing = data.get(id);
        if (existing == null) {
            data.put(id, new DataChannel(ch, false));
        } else if (existing.channel != ch) {
            if (existing.extra == null) {
                existing.extra = new ArrayList<>(1);
            }
            existing.extra.add(ch);
        }
    }

    /** Applies the scheduling class of a peer-opened stream to its QUIC stream (our direction). */
    void prioritize(StreamId id, PriorityClass priority) {
        DataChannel dc = data.get(id);
        if (dc != null && dc.channel != null) {
            prioritize(dc.channel, priority);
        }
    }

    /** quiche's scheduling class; an INTERACTIVE stream is also read at every packet rather than per read burst. */
    private static void prioritize(QuicStreamChannel ch, PriorityClass priority) {
        ch.updatePriority(priorityOf(priority));
        if (priority == PriorityClass.INTERACTIVE) {
            QuicConnection.readEveryPacket(ch);
        }
    }

    @Override
    public boolean hasData(StreamId id) {
        return data.containsKey(id);
    }

    @Override
    public void writeData(StreamState stream, long offset, ByteBuffer src, boolean fin, boolean more) {
        DataChannel dc = data.get(stream.id());
        if (dc == null) {
            throw new IllegalStateException("no carrier for " + stream.id() + " on path " + id);
        }
        int length = src.remaining();
        int head = StreamData.headerLength(offset, length);
        // A large payload goes out as a view of the send buffer (direct memory, which quiche copies from): one copy
        // of every byte fewer on this loop. A small one is copied behind its header: one component, not two.
        boolean view = length >= MIN_VIEW_BYTES;
        ByteBuf buf = alloc.directBuffer(view ? head : head + length);
        StreamData.encodeHeader(new WireWriter(buf.nioBuffer(0, head)), stream.id(), offset, fin, more, length);
        buf.writerIndex(head);
        if (!view) {
            buf.writeBytes(src);
        }
        if (dc.channel != null && !dc.headerSent) {
            dc.batch.add(header(stream.id()));
            dc.headerSent = true;
        }
        dc.batch.add(buf);
        if (view) {
            dc.batch.add(Unpooled.wrappedBuffer(src));
        }
        if (!dc.dirty) {
            dc.dirty = true;
            dirty.add(dc);
        }
    }

    @Override
    public void closeData(StreamId id) {
        DataChannel dc = data.remove(id);
        if (dc == null) {
            return;
        }
        writeBatch(dc); // the FIN goes after every byte written
        if (dc.channel == null) {
            dc.finAfterOpen = true;
        } else {
            finish(id, dc.channel);
        }
        if (dc.extra != null) {
            dc.extra.forEach(ch -> finish(id, ch));
        }
    }

    private static void finish(StreamId id, QuicStreamChannel ch) {
        if (!ch.isActive()) {
            return;
        }
        // A plain QUIC FIN (not RESET_STREAM): every byte of ours was acknowledged at session level already.
        ch.writeAndFlush(QuicStreamFrame.EMPTY_FIN).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("FIN on {} failed: {}", id, f.cause().toString());
            }
        });
    }

    /**
     * Writes each carrier's batch of frames. Netty's QUIC stream channel hands every write to quiche and has quiche
     * build and send packets at once (its flush does nothing), so a write per frame sent each 64 KiB frame as four
     * full packets and a sliver; one write per carrier per pump lets quiche fill every packet but the last.
     */
    @Override
    public void flush() {
        boolean wrote = !dirty.isEmpty() || controlDirty;
        for (int i = 0; i < dirty.size(); i++) { // indexed: no iterator per flush on the hot path
            DataChannel dc = dirty.get(i);
            dc.dirty = false;
            writeBatch(dc);
        }
        dirty.clear();
        if (controlDirty) {
            controlDirty = false;
            control.flush();
        }
        if (wrote) {
            // What the session writes leaves now, not with quiche's next ACK: stream data, and its own
            // acknowledgements and credit, which the Acknowledger has already batched (a sender waits for them).
            connection.sendNow();
        }
    }

    private void writeBatch(DataChannel dc) {
        List<ByteBuf> batch = dc.batch;
        if (batch.isEmpty() || dc.channel == null) {
            return;
        }
        ByteBuf out;
        if (batch.size() == 1) {
            out = batch.getFirst();
        } else {
            out = alloc.compositeDirectBuffer(batch.size()).addComponents(true, batch);
        }
        batch.clear();
        dc.channel.write(out, dc.channel.voidPromise());
    }

    @Override
    public CompletableFuture<ConnectionStats> stats() {
        return connection.stats();
    }

    @Override
    public void close(long errorCode, String reason) {
        if (!closeSent && connection.isActive()) {
            closeSent = true;
            flush();
            connection.close((int) Math.min(errorCode, Integer.MAX_VALUE), reason);
        }
        state = PathState.CLOSED;
        pendingControl.forEach(ByteBuf::release);
        pendingControl.clear();
        for (DataChannel dc : data.values()) {
            releasePending(dc);
        }
    }

    private static void releasePending(DataChannel dc) {
        dc.batch.forEach(ByteBuf::release);
        dc.batch.clear();
    }

    private ByteBuf encode(Frame frame) {
        int len = FrameCodec.encodedLength(frame);
        ByteBuf buf = alloc.ioBuffer(len);
        FrameCodec.encode(frame, buf.nioBuffer(0, len));
        buf.writerIndex(len);
        return buf;
    }

    private ByteBuf header(StreamId streamId) {
        ByteBuf buf = alloc.ioBuffer(StreamHeader.LENGTH);
        ByteBuffer nio = buf.nioBuffer(0, StreamHeader.LENGTH);
        StreamHeader.encode(streamId, nio);
        buf.writerIndex(StreamHeader.LENGTH);
        return buf;
    }

    private static QuicStreamPriority priorityOf(PriorityClass priority) {
        return switch (priority) {
            case CONTROL -> new QuicStreamPriority(1, false);
            case INTERACTIVE -> new QuicStreamPriority(2, false);
            case BULK -> new QuicStreamPriority(4, true);
        };
    }

    @Override
    public String toString() {
        return "path " + id + " " + connection;
    }
}
