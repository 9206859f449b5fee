package dev.quiver.transport.session;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.frame.StopSending;
import dev.quiver.codec.frame.StreamReset;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.StreamResetException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The logical streams of a session and their life: registration, the peer's stream-level frames (data, acks,
 * credit, resets), what the application does to a stream (output, reads, reset, stop), and their removal once
 * both directions are done. After each read burst it delivers to readers, acknowledges (through the
 * {@link Acknowledger}) and grants credit; after a path failure it re-queues that path's chunks in flight.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class SessionStreams {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStreams.class);

    private final Session session;
    private final SessionSender sender;
    private final SessionPaths paths;
    private final StreamTable table = new StreamTable();
    private final EarlyFrames early = new EarlyFrames();
    private final List<StreamState> dirty = new ArrayList<>();
    private final Acknowledger acks;
    private long opened;
    private long ackedOfRemoved;
    private long deliveredOfRemoved;

    SessionStreams(Session session, SessionSender sender, SessionPaths paths) {
        this.session = session;
        this.sender = sender;
        this.paths = paths;
        this.acks = new Acknowledger(session, session.limits().maxAckRanges());
    }

    StreamTable table() {
        return table;
    }

    /** A new stream, registered with the scheduler; the peer allows it {@code creditBytes} to start with. */
    StreamState register(StreamId id, PriorityClass priority, int weight, boolean local, long creditBytes) {
        StreamState state = new StreamState(session, id, priority, weight, local,
                session.limits().streamWindowBytes(), creditBytes, session.limits().maxAckRanges());
        sender.register(state);
        table.put(state);
        opened++;
        return state;
    }

    /** Streams opened so far, both sides. */
    long opened() {
        return opened;
    }

    /** Bytes of ours the peer acknowledged, over every stream so far. */
    long ackedBytes() {
        long sum = ackedOfRemoved;
        for (StreamState s : table.values()) {
            sum += s.ackedBytes();
        }
        return sum;
    }

    /** Bytes of the peer's delivered to readers, over every stream so far. */
    long deliveredBytes() {
        long sum = deliveredOfRemoved;
        for (StreamState s : table.values()) {
            sum += s.deliveredBytes();
        }
        return sum;
    }

    // ---- the peer's frames --------------------------------------------------------------------------------------

    /** StreamData for {@code carrier} (see {@link Session#onStreamData}); dropped for a recently closed stream. */
    void onData(StreamId carrier, long offset, ByteBuf src, int index, int length, boolean fin, boolean push)
            throws ProtocolException {
        StreamState s = table.known(carrier);
        if (s == null) {
            return;
        }
        s.onData(offset, src, index, length, fin, push);
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    /** After a read burst: deliver to readers, acknowledge, grant credit, flush. */
    void afterRead() {
        if (dirty.isEmpty()) {
            return;
        }
        for (int i = 0; i < dirty.size(); i++) { // indexed: no iterator per read burst
            StreamState s = dirty.get(i);
            s.dirty = false;
            MaxStreamData credit = s.deliver();
            acks.onReceived(s);
            if (credit != null) {
                session.writeControl(credit);
            }
        }
        for (int i = 0; i < dirty.size(); i++) {
            maybeRemove(dirty.get(i));
        }
        dirty.clear();
        paths.flush();
    }

    void onAck(AckRanges ack) throws ProtocolException {
        StreamState s = table.known(ack.id());
        if (s == null) {
            return;
        }
        long released = s.onAck(ack.ranges(), System.nanoTime());
        if (released > 0) {
            sender.schedulePump();
        }
        maybeRemove(s);
    }

    void onCredit(MaxStreamData credit) throws ProtocolException {
        StreamState s = openOrHold(credit.id(), credit);
        if (s != null) {
            s.onCredit(credit);
            sender.updateSendable(s);
        }
    }

    void onPeerReset(StreamReset reset) throws ProtocolException {
        StreamState s = openOrHold(reset.id(), reset);
        if (s != null) {
            s.onPeerReset(reset);
            maybeRemove(s);
        }
    }

    void onStopSending(StopSending stop) throws ProtocolException {
        StreamState s = openOrHold(stop.id(), stop);
        if (s != null) {
            sendReset(s, s.onStopSending(stop));
            maybeRemove(s);
        }
    }

    /**
     * The open stream {@code id}; {@code null} for one recently closed (the frame is late and dropped) or for one
     * not open yet, whose {@code frame} then waits for its StreamOpen ({@link EarlyFrames}).
     */
    private StreamState openOrHold(StreamId id, Frame frame) throws ProtocolException {
        StreamState s = table.get(id);
        if (s == null && !table.recentlyClosed(id)) {
            early.hold(id, frame, System.nanoTime());
        }
        return s;
    }

    /** The peer's stream {@code id} opened (or was refused): applies the control frames that came before it. */
    void applyEarlyFrames(StreamId id) throws ProtocolException {
        for (Frame frame : early.release(id)) {
            switch (frame) {
                case MaxStreamData credit -> onCredit(credit);
                case StreamReset reset -> onPeerReset(reset);
                case StopSending stop -> onStopSending(stop);
                default -> throw new IllegalStateException("only credit, reset and stop-sending wait: " + frame);
            }
        }
    }

    /** The peer's Settings arrived: every stream gets the initial credit. */
    void onInitialCredit(long creditBytes) {
        for (StreamState state : table.values()) {
            state.onInitialCredit(creditBytes);
            sender.updateSendable(state);
        }
    }

    // ---- the application's side ---------------------------------------------------------------------------------

    private boolean live(StreamState state) {
        return !session.isClosed() && table.isOpen(state);
    }

    /** Application bytes were handed over to {@code state}: move them into its send buffer and schedule. */
    void onOutput(StreamState state) {
        if (live(state)) {
            state.takeOutput();
            sender.updateSendable(state);
        }
    }

    /** The reader of {@code state} made room: deliver more, and grant credit. */
    void onReaderRoom(StreamState state) {
        if (!live(state)) {
            return;
        }
        MaxStreamData credit = state.deliver();
        if (credit != null) {
            session.writeControl(credit);
            paths.flush();
        }
        maybeRemove(state);
    }

    /** The application reset {@code state} with {@code code}: both directions end. */
    void resetLocal(StreamState state, long code) {
        if (!live(state)) {
            return;
        }
        StreamResetException local = new StreamResetException(state.id().toString(), code, false);
        sendReset(state, state.abandonSend(code, local));
        StopSending stop = state.stopReceiving(code, local);
        if (stop != null) {
            session.writeControl(stop);
        }
        paths.flush();
        maybeRemove(state);
    }

    /** The application closed its reader before the end: ask the peer to stop. */
    void stopReceiving(StreamState state, long code) {
        if (!live(state)) {
            return;
        }
        StopSending stop = state.stopReceiving(code, new StreamResetException(state.id().toString(), code, false));
        if (stop != null) {
            session.writeControl(stop);
            paths.flush();
        }
        maybeRemove(state);
    }

    /** No QUIC stream could be opened for {@code state}: it fails both ways. */
    void onDataOpenFailed(StreamState state, Throwable cause) {
        if (!live(state)) {
            return;
        }
        IOException e = new IOException("cannot open a QUIC stream for " + state.id() + ": " + cause.getMessage(),
                cause);
        state.pipe().failSend(e);
        state.pipe().failReceive(e);
        remove(state);
    }

    private void sendReset(StreamState state, StreamReset reset) {
        if (reset != null) {
            session.writeControl(reset);
            state.abandonInflight();
            sender.stop(state);
        }
    }

    // ---- paths and the session's end -----------------------------------------------------------------------------

    /**
     * {@code path} died or stalled: its chunks in flight go out again on the other paths, and the credit we
     * granted is announced again (its MaxStreamData may have been lost with the path). Acknowledgements need no
     * such care: a re-sent duplicate makes the receiver acknowledge everything it holds again.
     */
    void failover(QuicPath path) {
        if (session.isClosed()) {
            return;
        }
        long requeued = 0;
        for (StreamState s : table.values()) {
            long n = s.requeueFrom(path);
            if (n > 0) {
                requeued += n;
                sender.updateSendable(s);
            }
        }
        if (requeued > 0) {
            LOG.debug("{}: {} bytes in flight on {} go out again on the other paths", session, requeued, path);
        }
        reannounceCredit();
        sender.schedulePump();
    }

    /** Announces the current credit of every stream again (after paths changed). */
    void reannounceCredit() {
        for (StreamState s : table.values()) {
            MaxStreamData credit = s.creditAnnouncement();
            if (credit != null) {
                session.writeControl(credit);
            }
        }
        paths.flush();
    }

    /** The session closed with {@code reason}: every stream fails and lets go of its buffers. */
    void failAll(SessionClosedException reason) {
        for (StreamState s : table.values()) {
            s.pipe().failSend(reason);
            s.pipe().failReceive(reason);
            s.releaseBuffers();
        }
        table.clear();
        dirty.clear();
        acks.clear();
    }

    void maybeRemove(StreamState state) {
        if (state.isDone() && table.isOpen(state)) {
            remove(state);
        }
    }

    private void remove(StreamState state) {
        table.forget(state.id());
        state.abandonInflight();
        state.releaseBuffers();
        sender.unregister(state);
        ackedOfRemoved += state.ackedBytes();
        deliveredOfRemoved += state.deliveredBytes();
        paths.closeData(state.id());
    }
}
