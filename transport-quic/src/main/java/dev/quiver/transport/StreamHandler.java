package dev.quiver.transport;

/**
 * Serves logical streams a peer opens. Registered per subprotocol ID or per stream kind with
 * {@link QuiverNode#handle(int, StreamHandler)}; each accepted stream runs the handler on its own virtual thread,
 * so blocking reads and writes are fine. When the handler returns, the stream is closed gracefully (unless it
 * registered a {@link LogicalStream#onReadable readable listener}, which then serves and closes the stream without
 * a thread); when it throws, the stream is reset with {@code INTERNAL}.
 */
@FunctionalInterface
public interface StreamHandler {

    /** Serves {@code stream}, opened by the peer of {@code session}. */
    void onStream(PeerSession session, LogicalStream stream) throws Exception;
}
