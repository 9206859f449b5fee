package dev.quiver.transport;

import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.identity.IdentityException;
import dev.quiver.transport.identity.IdentityStore;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.quic.CircuitSide;
import dev.quiver.transport.quic.ImpairmentPlan;
import dev.quiver.transport.quic.QuicEndpoint;
import dev.quiver.transport.quic.UdpTransport;
import dev.quiver.transport.session.SessionManager;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A Quiver node: one identity, one QUIC endpoint, and a session per connected peer.
 *
 * <pre>{@code
 * try (QuiverNode node = QuiverNode.builder().identityDirectory(dir).build()) {
 *     node.handle(0x2000, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
 *     System.out.println(node.ticket());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Blocking methods must not be called on the node's event loops.
 */
public final class QuiverNode implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final QuicEndpoint endpoint;
    private final SessionManager sessions;
    private final boolean autoPaths;
    private final List<InetAddress> pathLocalAddresses;

    private QuiverNode(QuicEndpoint endpoint, SessionManager sessions, Builder b) {
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.autoPaths = b.autoPaths;
        this.pathLocalAddresses = List.copyOf(b.pathLocalAddresses);
    }

    /** A builder with defaults: loopback bind, a fresh Ed25519 identity, {@link QuicConfig#defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** This node's ID. */
    public NodeId nodeId() {
        return endpoint.nodeId();
    }

    /** The UDP address this node listens on. */
    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /**
     * A ticket peers can connect with: this node's ID and listening address, or, when bound to a wildcard address,
     * the addresses of its interfaces ({@link QuicEndpoint#ticket()}).
     */
    public Ticket ticket() {
        try {
            return endpoint.ticket();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this machine's network interfaces for a ticket", e);
        }
    }

    /** Serves logical streams of subprotocol {@code subprotocolId} (1..0xFFFF) that peers open. */
    public void handle(int subprotocolId, StreamHandler handler) {
        sessions.handle(subprotocolId, Objects.requireNonNull(handler, "handler"));
    }

    /** Serves logical streams of {@code kind} (BLOB, RELAY or CHANNEL) that peers open. */
    public void handle(StreamKind kind, StreamHandler handler) {
        sessions.handle(kind, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Connects to the node named in {@code ticket}, pinned to its node ID; completes with the session (over the
     * first address that answered; with {@link Builder#autoPaths} further paths join it in the background).
     */
    public CompletableFuture<PeerSession> connectAsync(Ticket ticket) {
        return endpoint.dial(ticket).thenApply(c -> sessions.connected(c, ticket, autoPaths, pathLocalAddresses));
    }

    /**
     * Connects to the node named in {@code ticket} and returns the session.
     *
     * @throws PeerIdentityMismatchException if the address answered with another key
     * @throws DialException if no address could be reached
     */
    public PeerSession connect(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        try {
            return connectAsync(ticket).get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + ticket.nodeId());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // Composed stages wrap the dial's own exception (PeerIdentityMismatchException, DialException).
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof PeerIdentityMismatchException mismatch) {
                throw mismatch;
            }
            throw new DialException("cannot connect to " + ticket.nodeId() + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new DialException("connecting to " + ticket.nodeId() + " timed out after "
                    + CONNECT_TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * Moves the UDP socket under this node's dialed connections to {@code newLocal} (an ephemeral port), for
     * example when the interface they used went down: the connections, sessions and streams carry on, and the
     * peer validates the new path and migrates (RFC 9000 §9). Only connections this node dialed move (QUIC lets
     * only clients migrate). In a network namespace, call it on a thread inside that namespace.
     *
     * @return the new local address
     * @throws IOException if nothing was dialed on that kind of address yet or {@code newLocal} cannot be bound
     */
    public InetSocketAddress migrate(InetAddress newLocal) throws IOException {
        return endpoint.migrate(newLocal);
    }

    /**
     * Moves the UDP sockets under this node's dialed connections to new ephemeral ports on the same addresses, as
     * a NAT rebinding does; see {@link #migrate}.
     *
     * @return the new local addresses
     */
    public List<InetSocketAddress> rebindPort() throws IOException {
        return endpoint.rebindPort();
    }

    /**
     * Registers this node's side of a relay circuit (its 16-byte {@code token} at the relay's data socket
     * {@code relayData}) on the node's own UDP sockets; connections reach the peer behind the relay at the side's
     * virtual address ({@link QuicEndpoint#openCircuitSide}). Closing the side unregisters it.
     *
     * @param dialing true for the side that dials the peer, false for the side whose listener the peer dials
     */
    public CircuitSide openCircuitSide(InetSocketAddress relayData, byte[] token, boolean dialing)
            throws IOException {
        return endpoint.openCircuitSide(relayData, token, dialing);
    }

    /** Sessions currently open (dialed and accepted). */
    public List<PeerSession> sessions() {
        return sessions.sessions();
    }

    /** Closes every session, the sockets and the event loops. */
    @Override
    public void close() {
        sessions.close();
        endpoint.close();
    }

    /** Builder of a node; not thread-safe. */
    public static final class Builder {
        private InetSocketAddress bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private Path identityDirectory;
        private NodeIdentity identity;
        private QuicConfig.Builder quic = QuicConfig.builder();
        private SessionLimits limits = SessionLimits.DEFAULT;
        private Consumer<PeerSession> onSession = session -> { };
        private boolean autoPaths;
        private List<InetAddress> pathLocalAddresses = List.of();
        private Duration resumeGrace = Duration.ofSeconds(30);
        private ImpairmentPlan impairments;
        private Consumer<PathEvent> onPathEvent = event -> { };

        private Builder() {
        }

        /**
         * Whether {@link QuiverNode#connect} opens a path for every usable (local IP, remote address) pair: every
         * direct address of the ticket, from every {@link #pathLocalAddresses} IP (or the default dial socket).
         * Off by default: each path is a QUIC connection of its own, with its own congestion control.
         */
        public Builder autoPaths(boolean value) {
            autoPaths = value;
            return this;
        }

        /** Local IPs that {@link #autoPaths} dials from (default: none, the default dial socket). */
        public Builder pathLocalAddresses(List<InetAddress> value) {
            pathLocalAddresses = List.copyOf(value);
            return this;
        }

        /**
         * How long a session whose paths are all gone waits for one to come back (the dialer reconnects, the
         * acceptor keeps the session's streams) before it fails (default 30 s).
         */
        public Builder resumeGrace(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("resumeGrace must be positive, got " + value);
            }
            resumeGrace = value;
            return this;
        }

        /** Where to listen (default: loopback, ephemeral port). */
        public Builder bindAddress(InetSocketAddress value) {
            bindAddress = Objects.requireNonNull(value);
            return this;
        }

        /** Load (or create on first run, mode 0600) the node key in {@code directory}. */
        public Builder identityDirectory(Path directory) {
            identityDirectory = Objects.requireNonNull(directory);
            return this;
        }

        /** Use {@code value} as the node identity (overrides {@link #identityDirectory}). */
        public Builder identity(NodeIdentity value) {
            identity = Objects.requireNonNull(value);
            return this;
        }

        /** QUIC settings (default {@link QuicConfig#defaults()}). */
        public Builder quicConfig(QuicConfig value) {
            quic = value.toBuilder();
            return this;
        }

        /** Congestion controller (default CUBIC). */
        public Builder congestionControl(CongestionControl value) {
            quic.congestionControl(value);
            return this;
        }

        /** Session limits: stream window, stream count, payload size, in-flight bytes per path. */
        public Builder limits(SessionLimits value) {
            limits = Objects.requireNonNull(value);
            return this;
        }

        /** Called (on a virtual thread) for every session a peer opens to this node. */
        public Builder onSession(Consumer<PeerSession> listener) {
            onSession = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Drops, delays or reorders this node's UDP packets in-process as {@code plan} says (tests and benchmarks
         * only; default none).
         */
        public Builder impairments(ImpairmentPlan plan) {
            impairments = Objects.requireNonNull(plan);
            return this;
        }

        /** Called on the event loop for every path event (validation, migration) of every connection. */
        public Builder onPathEvent(Consumer<PathEvent> listener) {
            onPathEvent = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Loads the identity, binds the socket and starts the event loops.
         *
         * @throws IOException if the identity cannot be loaded or the socket cannot be bound
         */
        public QuiverNode build() throws IOException {
            NodeIdentity id = identity;
            QuicConfig config = quic.build();
            if (id == null) {
                boolean epoll = config.preferEpoll();
                // Making or loading a key and its certificate is single-threaded start-up work of ~0.1-0.2 s; the
                // native libraries load meanwhile on another core.
                Thread.ofPlatform().daemon().name("quiver-preload")
                        .start(() -> UdpTransport.preload(epoll));
                try {
                    id = identityDirectory != null ? IdentityStore.loadOrCreate(identityDirectory, KeyType.ED25519)
                            : NodeIdentity.generate(KeyType.ED25519);
                } catch (IdentityException e) {
                    throw new IOException("cannot load the node identity: " + e.getMessage(), e);
                }
            }
            // The session layer may keep maxStreams logical streams open, each on its own QUIC stream.
            if (config.initialMaxStreamsBidi() < limits.maxStreams()) {
                config = config.toBuilder().initialMaxStreamsBidi(limits.maxStreams() + 1L).build();
            }
            SessionManager manager = new SessionManager(limits, onSession, resumeGrace);
            QuicEndpoint.Builder endpointBuilder = QuicEndpoint.builder(id, config).bindAddress(bindAddress)
                    .handler(manager).pathEvents(onPathEvent);
            if (impairments != null) {
                endpointBuilder.impairments(impairments);
            }
            QuicEndpoint endpoint = endpointBuilder.bind();
            manager.bindEndpoint(endpoint);
            return new QuiverNode(endpoint, manager, this);
        }
    }
}
