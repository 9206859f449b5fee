package dev.quiver.transport;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The relationship with one peer: its paths (one QUIC connection for now) and the logical streams over them. A
 * session is opened with {@link QuiverNode#connect} or accepted (see {@link QuiverNode.Builder#onSession}).
 *
 * <p>Thread-safe: every method may be called from any thread except the node's event loop (the blocking ones
 * would stall it); virtual threads are the intended callers.
 */
public interface PeerSession extends AutoCloseable {

    /** The peer's node ID, proven by its key. */
    NodeId peer();

    /** True if this node dialed the session. */
    boolean isDialer();

    /**
     * Opens a logical stream of {@code kind} ({@code BLOB} or {@code RELAY}: a fresh nonce is allocated) with the
     * given scheduling class and weight in [1, 256]. Blocks until the stream is registered on the event loop.
     *
     * @throws IOException if the session is closed or its stream limit is reached
     */
    LogicalStream openStream(StreamKind kind, PriorityClass priority, int weight) throws IOException;

    /**
     * Opens the logical stream of subprotocol {@code subprotocolId} (in [1, 0xFFFF]); its ID is the service ID, so
     * only one such stream per service can be open at a time in a session.
     *
     * @throws IOException if the session is closed, the limit is reached or that service's stream is open
     */
    LogicalStream openStream(int subprotocolId, PriorityClass priority, int weight) throws IOException;

    /** Counters of the session and its paths (blocks briefly for the event loop and quiche). */
    SessionStats stats() throws IOException;

    /** Completes when the session has closed, with the reason. */
    CompletableFuture<SessionClosedException> closeFuture();

    /** Closes the session: every stream fails, the paths close with NO_ERROR. */
    @Override
    void close();
}
