package dev.quiver.transport;

import dev.quiver.codec.stream.StreamId;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One bidirectional logical stream of a session. Bytes written are framed with their offsets, scheduled fairly
 * against the session's other streams, acknowledged by the peer and bounded by its credit, so a slow reader blocks
 * the writer instead of growing memory.
 *
 * <p>Two ways to move bytes: the blocking {@link #outputStream()}/{@link #inputStream()} views (for virtual
 * threads), and the non-blocking {@link #offer(ByteBuffer)}/{@link #poll(ByteBuffer)} pair that returns status
 * codes. Both may be used from any thread except the node's event loop; one writer and one reader at a time.
 */
public interface LogicalStream extends AutoCloseable {

    /** {@link #offer} status: the send window is full; try again after acknowledgements free it. */
    int BACK_PRESSURED = -2;
    /** {@link #offer}/{@link #poll} status: the direction is finished, reset or the session is closed. */
    int CLOSED = -1;

    /** The logical stream ID. */
    StreamId id();

    /** The session this stream belongs to. */
    PeerSession session();

    /** Blocking writes; {@code close()} sends FIN once everything before it is sent. */
    OutputStream outputStream();

    /** Blocking reads; -1 at the peer's FIN; a reset surfaces as {@link StreamResetException}. */
    InputStream inputStream();

    /**
     * Hands over as many bytes of {@code src} as the send window allows now (advancing its position).
     *
     * @return bytes taken (&gt; 0), {@link #BACK_PRESSURED}, or {@link #CLOSED}
     */
    int offer(ByteBuffer src);

    /** {@link #offer(ByteBuffer)} for off-heap memory. */
    default int offer(MemorySegment src) {
        return offer(src.asByteBuffer());
    }

    /**
     * Copies bytes that have arrived into {@code dst} without blocking.
     *
     * @return bytes copied (0 when none are ready), or {@link #CLOSED} at the end of the stream
     * @throws StreamResetException if the peer reset the stream
     * @throws SessionClosedException if the session closed first
     */
    int poll(ByteBuffer dst) throws IOException;

    /**
     * Serves the stream's reads without a thread waiting on it (a server holding many idle streams: a relay's
     * reservations): {@code listener} runs once now and again whenever the stream may have become readable (bytes
     * arrived, the peer finished, the stream failed). It reads with {@link #poll} until that returns 0 (or
     * {@link #CLOSED}, or throws), and must not block. It runs on a short-lived virtual thread of the node, never
     * two runs at once for one stream, and a change during a run is followed by another run. A
     * {@link StreamHandler} that registers a listener keeps the stream open when it returns: the listener closes
     * it. A listener that throws resets the stream with {@code INTERNAL}.
     *
     * @throws IllegalStateException if the stream has a listener already
     */
    void onReadable(Runnable listener);

    /** Ends the sending direction gracefully (FIN); idempotent. */
    void finish() throws IOException;

    /** Abandons both directions with {@code errorCode}: the peer's reader sees a {@link StreamResetException}. */
    void reset(long errorCode);

    /** A snapshot of the stream's counters (blocks briefly for the event loop). */
    StreamStats stats() throws IOException;

    /**
     * Finishes the sending direction and, if the peer's data was not read to the end, asks the peer to stop
     * sending. Does not wait for acknowledgements, and does not throw when the stream was already reset.
     */
    @Override
    void close();
}
