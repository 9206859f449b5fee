package dev.quiver.transport.session;

import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.StreamHandler;
import dev.quiver.transport.quic.ConnectionHandler;
import dev.quiver.transport.quic.QuicConnection;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The session layer of a node: turns every authenticated QUIC connection into a session, routes peer-opened QUIC
 * streams to their session, and runs handlers of accepted logical streams on virtual threads. The one public class
 * of this package, for {@code QuiverNode}.
 *
 * <p>Thread-safety: the connection callbacks run on event loops; handler registration and {@link #sessions()} are
 * safe from any thread (concurrent maps).
 */
public final class SessionManager implements ConnectionHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
    private static final AttributeKey<Session> SESSION = AttributeKey.valueOf("quiver.session");

    private final SessionLimits limits;
    private final Consumer<PeerSession> onAccepted;
    private final Map<Integer, StreamHandler> bySubprotocol = new ConcurrentHashMap<>();
    private final Map<StreamKind, StreamHandler> byKind = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("quiver-stream-", 0).factory());

    /** A manager applying {@code limits}; {@code onAccepted} hears of every session a peer opens. */
    public SessionManager(SessionLimits limits, Consumer<PeerSession> onAccepted) {
        this.limits = limits;
        this.onAccepted = onAccepted;
    }

    /** Serves accepted streams of subprotocol {@code id} with {@code handler} (replacing any previous one). */
    public void handle(int id, StreamHandler handler) {
        dev.quiver.codec.stream.StreamId.subprotocol(id); // validates the range
        bySubprotocol.put(id, handler);
    }

    /** Serves accepted streams of {@code kind} (BLOB, RELAY, CHANNEL) with {@code handler}. */
    public void handle(StreamKind kind, StreamHandler handler) {
        if (kind == StreamKind.CONTROL || kind == StreamKind.SUBPROTOCOL) {
            throw new IllegalArgumentException(kind + " streams are not served by kind");
        }
        byKind.put(kind, handler);
    }

    /** The session over {@code connection} (set up when its handshake completed). */
    public PeerSession sessionOf(QuicConnection connection) {
        return connection.channel().attr(SESSION).get();
    }

    /** Open sessions. */
    public List<PeerSession> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public void onConnection(QuicConnection connection) {
        Session session = new Session(this, limits, connection);
        connection.channel().attr(SESSION).set(session);
        sessions.add(session);
        session.start();
        LOG.debug("Session started: {}", session);
        if (!connection.isDialed()) {
            handlers.execute(() -> onAccepted.accept(session));
        }
    }

    @Override
    public void onStream(QuicConnection connection, QuicStreamChannel stream) {
        Session session = connection.channel().attr(SESSION).get();
        if (session == null) {
            stream.close();
            return;
        }
        stream.pipeline().addLast(new FrameReader(session, sessionPath(session)));
    }

    private static QuicPath sessionPath(Session session) {
        return session.primaryPath();
    }

    @Override
    public void onClosed(QuicConnection connection) {
        Session session = connection.channel().attr(SESSION).get();
        if (session != null) {
            session.onPathClosed();
        }
    }

    void onClosed(Session session) {
        sessions.remove(session);
    }

    /** Runs the handler of an accepted stream on its own virtual thread; no handler means a reset. */
    void dispatch(Session session, QuiverStream stream) {
        StreamHandler handler = stream.id().kind() == StreamKind.SUBPROTOCOL
                ? bySubprotocol.get(stream.id().subprotocolId()) : byKind.get(stream.id().kind());
        if (handler == null) {
            LOG.debug("No handler for {} from {}; resetting it", stream.id(), session.peer());
            stream.reset(ProtocolError.STREAM_STATE.code());
            return;
        }
        handlers.execute(() -> serve(session, stream, handler));
    }

    private static void serve(Session session, LogicalStream stream, StreamHandler handler) {
        try {
            handler.onStream(session, stream);
        } catch (Exception e) {
            LOG.debug("Handler of {} failed: {}", stream.id(), e.toString());
            stream.reset(ProtocolError.INTERNAL.code());
            return;
        }
        stream.close();
    }

    /** Closes every session and stops the handler threads (running handlers see their streams fail). */
    @Override
    public void close() {
        for (Session s : List.copyOf(sessions)) {
            s.close();
        }
        handlers.shutdownNow();
    }
}
