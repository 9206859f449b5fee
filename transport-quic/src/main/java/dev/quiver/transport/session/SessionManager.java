package dev.quiver.transport.session;

import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.Varint;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.StreamHandler;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.quic.ConnectionHandler;
import dev.quiver.transport.quic.QuicConnection;
import dev.quiver.transport.quic.QuicEndpoint;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The session layer of a node: turns authenticated QUIC connections into sessions or into further paths of a
 * session, routes peer-opened QUIC streams to their path, and runs handlers of accepted logical streams on virtual
 * threads. The one public class of this package, for {@code QuiverNode}.
 *
 * <p>Joining: a dialer's session has a random token; its first connection's Settings carry it with {@code join}
 * false, and the acceptor files the session under (peer node ID, token). A later connection of the same peer whose
 * Settings carry the token with {@code join} true becomes a path of that session; with an unknown token it is
 * closed with {@link SessionPaths#UNKNOWN_SESSION}. Until its first Settings an accepted connection has a session
 * of its own, which forwards what it reads once the connection joined another.
 *
 * <p>Thread-safety: the connection callbacks run on event loops; handler registration and {@link #sessions()} are
 * safe from any thread (concurrent maps).
 */
public final class SessionManager implements ConnectionHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
    private static final AttributeKey<QuicPath> PATH = AttributeKey.valueOf("quiver.path");
    private static final SecureRandom TOKENS = new SecureRandom();

    /**
     * A dialer's session as the acceptor files it. Equality is written out: a record's generated equals and
     * hashCode are bootstrapped on first use (ObjectMethods), which spins ~17 method-handle classes in every
     * process that opens a session, outside the start-up cache.
     */
    private record SessionKey(NodeId peer, long token) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SessionKey k && k.token == token && k.peer.equals(peer);
        }

        @Override
        public int hashCode() {
            return peer.hashCode() * 31 + Long.hashCode(token);
        }
    }

    private final SessionLimits limits;
    private final long resumeGraceNs;
    private final Map<SessionKey, Session> byToken = new ConcurrentHashMap<>();
    private volatile QuicEndpoint endpoint;
    private final Consumer<PeerSession> onAccepted;
    private final Map<Integer, StreamHandler> bySubprotocol = new ConcurrentHashMap<>();
    private final Map<StreamKind, StreamHandler> byKind = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("quiver-stream-", 0).factory());

    /**
     * A manager applying {@code limits}; {@code onAccepted} hears of every session a peer opens; a session whose
     * paths are all gone waits {@code resumeGrace} for one to come back before it fails.
     */
    public SessionManager(SessionLimits limits, Consumer<PeerSession> onAccepted, Duration resumeGrace) {
        this.limits = limits;
        this.onAccepted = onAccepted;
        this.resumeGraceNs = resumeGrace.toNanos();
    }

    /** The endpoint sessions dial further paths with (set once, right after it is bound). */
    public void bindEndpoint(QuicEndpoint value) {
        endpoint = value;
    }

    QuicEndpoint endpoint() {
        QuicEndpoint e = endpoint;
        if (e == null) {
            throw new IllegalStateException("no endpoint bound to the session manager");
        }
        return e;
    }

    long resumeGraceNs() {
        return resumeGraceNs;
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
        QuicPath p = pathOf(connection);
        return p == null ? null : p.session();
    }

    /**
     * The session just dialed over {@code connection} to the node of {@code ticket}: it remembers the ticket's
     * addresses for reconnecting, and with {@code autoPaths} opens a path for every further (local IP, remote
     * address) pair, {@code localIps} empty meaning the default dial socket, in the background.
     */
    public PeerSession connected(QuicConnection connection, Ticket ticket, boolean autoPaths,
                                 List<InetAddress> localIps) {
        QuicPath first = pathOf(connection);
        if (first == null) {
            throw new IllegalStateException("no session over " + connection);
        }
        Session session = first.session();
        InetSocketAddress firstRemote = connection.remoteAddress();
        InetAddress firstLocal = connection.localAddress().getAddress();
        List<InetAddress> locals = localIps.isEmpty() ? java.util.Collections.singletonList(null) : localIps;
        List<Runnable> extra = new ArrayList<>();
        for (InetSocketAddress remote : ticket.directAddresses()) {
            for (InetAddress local : locals) {
                boolean same = remote.equals(firstRemote) && (local == null || local.equals(firstLocal));
                if (autoPaths && !same) {
                    extra.add(() -> session.paths.dial(local, remote).whenComplete((id, e) -> {
                        if (e != null) {
                            LOG.debug("No path from {} to {}: {}", local, remote, e.toString());
                        }
                    }));
                }
            }
        }
        session.loop().execute(() -> {
            session.paths.rememberRemotes(ticket.directAddresses());
            extra.forEach(Runnable::run);
        });
        return session;
    }

    void bindPath(QuicConnection connection, QuicPath path) {
        connection.channel().attr(PATH).set(path);
    }

    QuicPath pathOf(QuicConnection connection) {
        return connection.channel().attr(PATH).get();
    }

    /** Open sessions. */
    public List<PeerSession> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public void onConnection(QuicConnection connection) {
        if (connection.dialContext() instanceof Session joining) {
            joining.paths.attachDialed(connection);
            return;
        }
        long token = connection.isDialed() ? 1 + TOKENS.nextLong(Varint.MAX_VALUE) : 0;
        Session session = new Session(this, limits, connection, token);
        if (connection.isDialed()) {
            sessions.add(session);
            byToken.put(new SessionKey(session.peer(), token), session);
        }
        session.start();
        LOG.debug("Session started: {}", session);
    }

    /** Acceptor: {@code session}'s first Settings opened a new session. */
    void accepted(Session session) {
        sessions.add(session);
        if (session.token() != 0) {
            byToken.put(new SessionKey(session.peer(), session.token()), session);
        }
        handlers.execute(() -> onAccepted.accept(session));
    }

    /** Acceptor: the connection of {@code from} asks to join the peer's session {@code token}. */
    void join(Session provisional, QuicPath from, long token) {
        Session target = byToken.get(new SessionKey(provisional.peer(), token));
        if (target == null || target.isClosed() || target.loop() != provisional.loop()) {
            LOG.info("Refusing a path from {}: no session {} with it{}", provisional.peer(), Long.toHexString(token),
                    target != null && !target.isClosed() ? " on this event loop" : "");
            from.close(SessionPaths.UNKNOWN_SESSION, "unknown session");
            provisional.expire(new dev.quiver.transport.SessionClosedException("unknown session", -1));
            return;
        }
        provisional.handOver(from, target);
    }

    @Override
    public void onStream(QuicConnection connection, QuicStreamChannel stream) {
        QuicPath path = pathOf(connection);
        if (path == null) {
            stream.close();
            return;
        }
        stream.pipeline().addLast(new FrameReader(path.session(), path));
    }

    @Override
    public void onClosed(QuicConnection connection) {
        QuicPath path = pathOf(connection);
        if (path != null) {
            path.session().paths.onClosed(path);
        }
    }

    void onClosed(Session session) {
        sessions.remove(session);
        if (session.token() != 0) {
            byToken.remove(new SessionKey(session.peer(), session.token()), session);
        }
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
            try {
                handler.onStream(session, stream);
            } catch (Exception e) {
                LOG.debug("Handler of {} failed: {}", stream.id(), e.toString());
                stream.reset(ProtocolError.INTERNAL.code());
                return;
            }
            if (!(stream instanceof QuiverStream q && q.hasReadableListener())) {
                stream.close(); // else the handler left the stream to its readable listener, which closes it
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The node closed under a running handler: its event loop is gone, and so is the stream.
            LOG.debug("Handler of {} ended after its node closed", stream.id());
        }
    }

    /** Where readable listeners of streams run: a short-lived virtual thread per run, as handlers do. */
    java.util.concurrent.Executor listenerExecutor() {
        return handlers;
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
