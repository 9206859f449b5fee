package dev.quiver.transport;

import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The relationship with one peer: its paths (QUIC connections, each over one local and remote address pair) and
 * the logical streams over them. Data frames of every stream are spread over the paths by the path scheduler; a
 * path that dies or stalls has its frames in flight re-sent on the others, and when every path is gone the dialer
 * reconnects and the streams resume from their acknowledged offsets (the application sees a pause, not an error).
 * A session is opened with {@link QuiverNode#connect} or accepted (see {@link QuiverNode.Builder#onSession}).
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
     * Opens a logical stream of subprotocol {@code subprotocolId} (in [1, 0xFFFF]); its ID is the service ID plus
     * an instance number of this session's, so any number of streams of one service can be open at once.
     *
     * @throws IOException if the session is closed or the limit is reached
     */
    LogicalStream openStream(int subprotocolId, PriorityClass priority, int weight) throws IOException;

    /**
     * Opens another path to the peer: a QUIC connection from {@code local} (its IP; the port is ignored, paths from
     * one IP share a socket; {@code null}: the node's default dial socket) to {@code remote}, which joins this
     * session. Blocks until the peer accepted the path; it carries data from then on. Only the dialer of a session
     * can add paths.
     *
     * @return the new path's ID (as in {@link #paths()})
     * @throws IOException if the connection cannot be made, the peer refuses it, or this side accepted the session
     */
    int addPath(InetSocketAddress local, InetSocketAddress remote) throws IOException;

    /**
     * Closes path {@code pathId}: data in flight on it is re-sent on the other paths, nothing is lost. The last
     * path cannot be removed (close the session instead).
     *
     * @throws IOException if there is no such path, or it is the only one
     */
    void removePath(int pathId) throws IOException;

    /**
     * Puts path {@code pathId} on standby (or back): a standby path carries data only while no other usable path
     * is off standby, so it stays a warm backup (a relayed path next to a direct one). The peer is told with a
     * PathStatus frame on that path and does the same for its data. Either side may call it.
     *
     * @throws IOException if there is no such path or the session is closed
     */
    void setStandby(int pathId, boolean standby) throws IOException;

    /** Whether path {@code pathId} is on standby (set by either side); false for an unknown path. */
    boolean isStandby(int pathId) throws IOException;

    /**
     * Tells the peer this node's current address set (an AddressUpdate frame on the control stream of every path;
     * at most {@link AddressUpdate#MAX_ENTRIES} entries). Sets are numbered, so the peer keeps the newest.
     *
     * @throws IOException if the session is closed
     */
    void announceAddresses(List<AddressUpdate.Entry> entries) throws IOException;

    /**
     * Calls {@code listener} (on a virtual thread) with every newer address set the peer announces, and at once
     * with the newest if one has arrived already.
     */
    void onPeerAddresses(Consumer<List<AddressUpdate.Entry>> listener);

    /** A snapshot of every path (blocks briefly for the event loop). */
    List<PathStats> paths() throws IOException;

    /** Counters of the session and its paths (blocks briefly for the event loop and quiche). */
    SessionStats stats() throws IOException;

    /** Completes when the session has closed, with the reason. */
    CompletableFuture<SessionClosedException> closeFuture();

    /** Closes the session: every stream fails, the paths close with NO_ERROR. */
    @Override
    void close();
}
