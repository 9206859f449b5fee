package dev.quiver.transport.session;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.frame.StopSending;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.frame.StreamReset;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.StreamResetException;
import dev.quiver.transport.StreamStats;
import dev.quiver.transport.stream.ChunkSink;
import dev.quiver.transport.stream.ReceiveBuffer;
import dev.quiver.transport.stream.SendBuffer;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The event-loop side of one logical stream: its {@link SendBuffer} and {@link ReceiveBuffer}, its scheduler
 * handle, and the moves between them and the application's {@link StreamPipe}. The stream is done (and the
 * session forgets it) once both directions are: ours acknowledged up to the FIN or reset, the peer's delivered up
 * to its FIN, reset or stopped. Our chunks in flight are kept as {@link SentRecord}s naming their path, so an
 * acknowledgement gives each path its budget back and a dead path's chunks are re-sent elsewhere.
 *
 * <p>Thread: owned by the session's event loop (all methods).
 */
final class StreamState {
    private final Session session;
    private final StreamId id;
    private final PriorityClass priority;
    private final int weight;
    private final boolean localOpened;
    private final SendBuffer send;
    private final ReceiveBuffer recv;
    private final StreamPipe pipe;
    private final int windowBytes;
    final ChunkSink sink;
    private final List<ByteBuffer> scratch = new ArrayList<>();
    private final ArrayDeque<SentRecord> inflight = new ArrayDeque<>();
    private final List<ByteBuf> delivered = new ArrayList<>();

    int handle = -1;
    boolean dirty;
    boolean ackPending;
    /** Whether the stream's first StreamOpen went out (or the peer opened it): further carriers continue it. */
    boolean openSent;
    /** The peer's continuation carrier opened this stream before its first StreamOpen arrived. */
    boolean openedByContinuation;
    /** End of the highest chunk emitted so far: a chunk starting below it is a re-send. */
    long highestEmitted;
    private long receivedSinceAck;
    private boolean finSeen;
    /** Where the reader wakes: not for every packet's piece, nor for every frame of a bulk transfer. */
    private final PushPoints pushPoints = new PushPoints();
    private boolean sendDone;
    private boolean recvDone;
    private long maxSendBuffered;
    private long maxRecvBuffered;

    StreamState(Session session, StreamId id, PriorityClass priority, int weight, boolean localOpened,
                int windowBytes, long peerCreditBytes, int maxRanges) {
        this.session = session;
        this.id = id;
        this.priority = priority;
        this.weight = weight;
        this.localOpened = localOpened;
        this.windowBytes = windowBytes;
        this.send = new SendBuffer(windowBytes, peerCreditBytes);
        this.recv = new ReceiveBuffer(id, windowBytes, maxRanges);
        this.pipe = new StreamPipe(windowBytes, Math.min(windowBytes / 2, 1 << 20));
        this.sink = (offset, src, fin) -> session.emitChunk(this, offset, src, fin);
    }

    StreamId id() {
        return id;
    }

    PriorityClass priority() {
        return priority;
    }

    int weight() {
        return weight;
    }

    boolean isLocallyOpened() {
        return localOpened;
    }

    /** The StreamOpen that starts this stream's first carrier (continuations derive from it). */
    StreamOpen openFrame() {
        return new StreamOpen(id, priority, weight);
    }

    StreamPipe pipe() {
        return pipe;
    }

    boolean isDone() {
        return sendDone && recvDone;
    }

    /** Bytes the scheduler may grant: nothing once our direction is finished or abandoned. */
    long sendableBytes() {
        return sendDone ? 0 : send.sendableBytes();
    }

    /** The end of the bytes handed over that the peer's credit lets us send (sent or not). */
    long sendableEnd() {
        return send.sendableEnd();
    }

    /** Emits at most one chunk of at most {@code maxBytes}; returns the bytes consumed (FIN counts one). */
    int emit(int maxBytes) {
        return send.emit(maxBytes, sink);
    }

    // ---- our direction ------------------------------------------------------------------------------------------

    /** Moves what the application handed over into the send buffer (always fits: the pipe's space mirrors it). */
    void takeOutput() {
        if (sendDone) {
            pipe.drainOut(scratch);
            scratch.clear();
            return;
        }
        boolean fin = pipe.drainOut(scratch);
        for (ByteBuffer chunk : scratch) {
            int n = send.write(chunk);
            if (n != chunk.limit()) {
                throw new IllegalStateException(id + ": send buffer refused " + (chunk.limit() - n) + " bytes");
            }
        }
        pipe.recycleOut(scratch);
        scratch.clear();
        if (fin) {
            send.finish();
        }
        maxSendBuffered = Math.max(maxSendBuffered, send.bufferedBytes());
    }

    /**
     * The peer acknowledged {@code ranges}; chunks now wholly acknowledged leave flight (their paths get the RTT
     * sample and the budget back). Returns how many bytes left flight.
     */
    long onAck(List<AckRanges.Range> ranges, long nowNs) throws ProtocolException {
        if (sendDone && !send.isComplete()) {
            return 0; // reset: the chunks in flight were abandoned then
        }
        long buffered = send.bufferedBytes();
        send.onAck(ranges);
        long freed = buffered - send.bufferedBytes();
        if (freed > 0) {
            pipe.addSendSpace(freed);
        }
        if (send.isComplete()) {
            sendDone = true;
        }
        long released = 0;
        for (Iterator<SentRecord> it = inflight.iterator(); it.hasNext(); ) {
            SentRecord r = it.next();
            if (send.isAcknowledged(r.start, r.end)) {
                it.remove();
                r.path.estimator.onAcked(r.bytes(), r.sentNs, nowNs);
                released += r.bytes();
            }
        }
        return released;
    }

    /** A chunk {@code [start, end)} went out on {@code path}. */
    void onSent(QuicPath path, long start, long end, long nowNs) {
        inflight.add(new SentRecord(path, start, end, nowNs));
        highestEmitted = Math.max(highestEmitted, end);
    }

    /** {@code path} died or stalled: its chunks are marked lost (to go out again). Returns their bytes. */
    long requeueFrom(QuicPath path) {
        long bytes = 0;
        for (Iterator<SentRecord> it = inflight.iterator(); it.hasNext(); ) {
            SentRecord r = it.next();
            if (r.path == path) {
                it.remove();
                if (!sendDone) {
                    send.onLost(r.start, r.bytes());
                }
                path.estimator.onLost(r.bytes());
                bytes += r.bytes();
            }
        }
        return bytes;
    }

    /** Our direction was reset or the stream removed: chunks in flight need no acknowledgement any more. */
    void abandonInflight() {
        for (SentRecord r : inflight) {
            r.path.estimator.onAbandoned(r.bytes());
        }
        inflight.clear();
    }

    /**
     * The credit we have granted, to announce again after a path died (the MaxStreamData that raised it may have
     * been lost with that path); {@code null} once the peer needs no more credit.
     */
    MaxStreamData creditAnnouncement() {
        if (recvDone || recv.finalSize() >= 0 || recv.advertisedLimit() <= windowBytes) {
            return null;
        }
        return new MaxStreamData(id, recv.advertisedLimit());
    }

    void onCredit(MaxStreamData frame) {
        send.onMaxStreamData(frame.maxOffset());
    }

    void onInitialCredit(long credit) {
        send.onMaxStreamData(credit);
    }

    /**
     * The peer asked us to stop sending: we reset our direction with its code. Returns the frame to send and the
     * bytes to release from the path, or {@code null} when our direction was already done.
     */
    StreamReset onStopSending(StopSending frame) {
        return abandonSend(frame.errorCode(), new StreamResetException(id.toString(), frame.errorCode(), true));
    }

    /** Abandons our direction with {@code code}; returns the reset to send, or {@code null} if already done. */
    StreamReset abandonSend(long code, StreamResetException error) {
        if (sendDone) {
            return null;
        }
        sendDone = true;
        pipe.failSend(error);
        return new StreamReset(id, code, send.sentOffset());
    }

    // ---- the peer's direction ------------------------------------------------------------------------------------

    /** StreamData at {@code offset} with payload {@code src[index, index + length)} (the caller keeps {@code src}). */
    void onData(long offset, ByteBuf src, int index, int length, boolean fin, boolean push)
            throws ProtocolException {
        recv.onData(offset, src, index, length, fin);
        receivedSinceAck += length;
        finSeen |= fin;
        if (push) {
            pushPoints.frameEnded(offset + length);
        }
    }

    void onPeerReset(StreamReset frame) throws ProtocolException {
        recv.onReset(frame.finalSize());
        if (!recvDone) {
            recvDone = true;
            pipe.failReceive(new StreamResetException(id.toString(), frame.errorCode(), true));
        }
    }

    /** We no longer want the peer's bytes: returns the StopSending to send, or {@code null} if already done. */
    StopSending stopReceiving(long code, StreamResetException error) {
        if (recvDone) {
            return null;
        }
        recvDone = true;
        pipe.failReceive(error);
        recv.discard();
        return new StopSending(id, code);
    }

    /**
     * Moves in-order bytes to the reader's queue (as much as it has room for) and returns a credit update to send,
     * if the reader has consumed enough.
     */
    MaxStreamData deliver() {
        // The receive high-water mark, sampled once per read burst (every stream with new data is delivered at the
        // burst's end) rather than per received piece, which took the pipe's lock each time. Delivery only moves
        // bytes from the reassembly buffer to the reader's queue, so their sum peaks here.
        maxRecvBuffered = Math.max(maxRecvBuffered, recv.bufferedBytes() + pipe.queuedForReader());
        boolean again;
        do {
            long room = pipe.deliverRoom();
            ByteBuf b;
            while (room > 0 && (b = recv.poll((int) Math.min(room, Integer.MAX_VALUE))) != null) {
                delivered.add(b);
                room -= b.readableBytes();
            }
            again = pipe.deliver(delivered, recv.isFinished(), recv.readableBytes() > 0,
                    pushPoints.passedBy(recv.readOffset()));
            delivered.clear();
        } while (again);
        if (recv.isFinished() && !recvDone) {
            recvDone = true;
        }
        return recvDone ? null : recv.pollCreditUpdate();
    }

    /** Releases the received bytes still held (the session closed or forgot the stream). */
    void releaseBuffers() {
        recv.discard();
    }

    /** Whether an acknowledgement should go now rather than after the delay: many bytes, or the FIN. */
    boolean ackUrgent(long thresholdBytes) {
        return receivedSinceAck >= thresholdBytes || finSeen;
    }

    /** The acknowledgement to send for what arrived since the last one, or {@code null}. */
    AckRanges pollAck(int maxRanges) {
        receivedSinceAck = 0;
        finSeen = false;
        return recv.pollAck(maxRanges);
    }

    StreamStats stats() {
        return new StreamStats(id, pipe.bytesWritten(), Math.min(send.ackFloor(), send.writeOffset()),
                send.bufferedBytes(), maxSendBuffered, windowBytes, send.creditLimit(), pipe.bytesRead(),
                recv.bufferedBytes() + pipe.queuedForReader(), maxRecvBuffered, windowBytes);
    }

    /** Bytes of the peer's moved in order to the reader's queue. */
    long deliveredBytes() {
        return recv.readOffset();
    }

    /** Bytes of ours the peer acknowledged (prefix). */
    long ackedBytes() {
        return Math.min(send.ackFloor(), send.writeOffset());
    }

    @Override
    public String toString() {
        return id + (localOpened ? " (ours)" : " (peer's)");
    }
}
