package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.transport.ConnectionStats;

import java.util.concurrent.CompletableFuture;

/**
 * One way to reach the peer: today a direct QUIC connection ({@link QuicPath}); later a second direct connection
 * or a relayed circuit. The session talks to paths only through this interface: it writes control frames and data
 * chunks of a logical stream, asks how many more bytes the path takes ({@link #budgetBytes}), and tells the path
 * when bytes it carried were acknowledged at session level. Which QUIC stream carries which logical stream is the
 * path's business.
 *
 * <p>Thread: owned by the session's event loop.
 */
interface Path {

    /** Small number naming the path inside its session (for logs and stats order). */
    int id();

    /** True while the path can carry frames. */
    boolean isActive();

    /** Bytes the path can take now: its in-flight allowance minus what is unacknowledged. */
    int budgetBytes();

    /** {@code bytes} carried by this path were acknowledged (or abandoned by a reset). */
    void release(long bytes);

    /** Writes a control frame (queued until the control stream exists). */
    void writeControl(Frame frame);

    /**
     * Opens this path's QUIC stream for a locally opened logical stream, starting with {@code open};
     * {@code ready} runs once it exists.
     */
    void openData(StreamState stream, StreamOpen open, Runnable ready);

    /** Whether a data channel for {@code id} exists on this path. */
    boolean hasData(StreamId id);

    /** Writes one data chunk of {@code stream} (the path counts it in flight). */
    void writeData(StreamState stream, long offset, byte[] src, int srcIndex, int length, boolean fin);

    /** Ends this path's part of logical stream {@code id}: a QUIC FIN, then forgets the mapping. */
    void closeData(StreamId id);

    /** Flushes everything written since the last flush. */
    void flush();

    /** Path statistics from the transport. */
    CompletableFuture<ConnectionStats> stats();

    /** Closes the path with {@code errorCode} and a reason for the peer. */
    void close(long errorCode, String reason);
}
