package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.transport.ConnectionStats;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One way to reach the peer: a direct QUIC connection ({@link QuicPath}), of which a session may have several;
 * later a relayed circuit. The session writes control frames and data chunks of a logical stream through this
 * interface; how many bytes a path may take is the business of its {@code PathEstimator}, which the session feeds
 * with sends and acknowledgements. Which QUIC stream carries which logical stream is the path's business.
 *
 * <p>Thread: owned by the session's event loop.
 */
interface Path {

    /** Small number naming the path inside its session (for logs and stats order). */
    int id();

    /** True while the path can carry frames. */
    boolean isActive();

    /** Writes a control frame (queued until the control stream exists). */
    void writeControl(Frame frame);

    /**
     * Makes sure {@code stream} has a carrier (QUIC stream) on this path, opening one that starts with
     * {@code open} if it has none; data written before the carrier exists waits for it.
     */
    void ensureCarrier(StreamState stream, StreamOpen open);

    /** Whether a data channel for {@code id} exists on this path. */
    boolean hasData(StreamId id);

    /**
     * Writes one data chunk of {@code stream} on its carrier (which must exist): {@code src}'s remaining bytes, a
     * view of the stream's send buffer that may be passed on without copying (see {@code ChunkSink}); {@code more}
     * is the StreamData hint that the next bytes of the stream follow at once.
     */
    void writeData(StreamState stream, long offset, ByteBuffer src, boolean fin, boolean more);

    /** Ends this path's part of logical stream {@code id}: a QUIC FIN, then forgets the mapping. */
    void closeData(StreamId id);

    /** Flushes everything written since the last flush. */
    void flush();

    /** Path statistics from the transport. */
    CompletableFuture<ConnectionStats> stats();

    /** Closes the path with {@code errorCode} and a reason for the peer. */
    void close(long errorCode, String reason);
}
