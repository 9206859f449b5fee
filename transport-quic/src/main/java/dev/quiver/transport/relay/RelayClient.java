package dev.quiver.transport.relay;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.DialException;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.StreamResetException;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.relay.RelayMessage.Accepted;
import dev.quiver.transport.relay.RelayMessage.Connect;
import dev.quiver.transport.relay.RelayMessage.Incoming;
import dev.quiver.transport.relay.RelayMessage.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's side of relaying: holds reservations at relays, accepts the circuits they open to this node, and dials
 * peers through their relay.
 *
 * <p>A circuit carries QUIC packets: on the dialing side this node dials a local proxy socket with the peer's node ID
 * pinned as usual, and the proxy forwards the packets onto the circuit stream; on the target side a proxy socket
 * forwards them to this node's own QUIC listener. The end-to-end handshake is therefore the ordinary one, pinned to
 * both node IDs, and the result is an ordinary {@link PeerSession}.
 *
 * <pre>{@code
 * RelayClient relays = new RelayClient(node);            // takes over the node's RELAY stream handler
 * RelayReservation held = relays.reserve(relay, Duration.ofMinutes(2));
 * Ticket ticket = relays.ticket();                        // direct addresses + the relay
 * // elsewhere:
 * PeerSession session = otherClient.connect(ticket);      // direct first, then through the relay
 * }</pre>
 *
 * <p>Thread-safe. Blocking methods must not be called on the node's event loops.
 */
public final class RelayClient implements RelayConnector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);
    /** Most circuits this node accepts at once (each costs a proxy socket and two virtual threads). */
    public static final int MAX_INCOMING_CIRCUITS = 64;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final long TIMEOUT_RESET_CODE = RelayRefusal.RESET_CODE_BASE;
    private static final InetAddress IPV4_LOOPBACK = loopback(new byte[] {127, 0, 0, 1});
    private static final InetAddress IPV6_LOOPBACK = loopback(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1});

    private final QuiverNode node;
    private final Set<RelayReservation> held = new CopyOnWriteArraySet<>();
    private final Set<PeerSession> relayed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger incoming = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quiver-relay-client-timers").factory());
    /**
     * Opens proxy sockets. A socket belongs to the network namespace of the thread that creates it; this thread is
     * started now, so it lives where the client is made (the node's namespace), while circuits are accepted on
     * virtual threads whose carriers may live elsewhere.
     */
    private final ExecutorService socketThread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("quiver-relay-sockets").factory());

    /**
     * A client for {@code node}; registers the node's handler of RELAY streams. Create it on a thread of the node's
     * network namespace (any thread, unless the process uses several).
     */
    public RelayClient(QuiverNode node) {
        this.node = node;
        try {
            socketThread.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the relay client", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start the relay client's socket thread", e.getCause());
        }
        node.handle(StreamKind.RELAY, this::acceptCircuit);
    }

    /** The node this client serves. */
    public QuiverNode node() {
        return node;
    }

    /**
     * Reserves a slot at {@code relay} (connecting to it, pinned to its node ID, unless a session is open).
     *
     * @param ttl how long the relay should hold the slot between renewals (it may grant less)
     * @throws RelayRefusedException if the relay refuses the reservation
     * @throws IOException if the relay cannot be reached
     */
    public RelayReservation reserve(RelayAddress relay, Duration ttl) throws IOException {
        PeerSession session = sessionTo(relay);
        LogicalStream stream = session.openStream(RelayCodec.SERVICE_ID, PriorityClass.INTERACTIVE, 1);
        RelayReservation reservation = new RelayReservation(this, relay, session, stream, ttl.toSeconds());
        try {
            reservation.renew();
        } catch (IOException e) {
            stream.close();
            throw e;
        }
        held.add(reservation);
        LOG.info("Holding a reservation at relay {} ({}) for {} s", relay.nodeId().shortString(), relay.address(),
                reservation.grantedTtl().toSeconds());
        return reservation;
    }

    /** {@link #reserve}, for the acquisition driver. */
    @Override
    public HeldRelay acquire(RelayAddress candidate, Duration ttl) throws IOException {
        return reserve(candidate, ttl);
    }

    /** Reservations held now. */
    public List<RelayReservation> reservations() {
        return held.stream().filter(RelayReservation::isHeld).toList();
    }

    /** This node's ticket: its direct addresses, and the relay of its first held reservation if any. */
    public Ticket ticket() {
        Ticket direct = node.ticket();
        Optional<RelayAddress> relay = reservations().stream().map(RelayReservation::relay).findFirst();
        return Ticket.of(direct.nodeId(), direct.directAddresses(), relay, Optional.empty());
    }

    /**
     * Connects to the node in {@code ticket}: its direct addresses first, then, if none answered, its relay. A
     * direct address that answers with the wrong key fails at once (no fallback).
     *
     * @throws PeerIdentityMismatchException if a direct address or the relayed peer presented another key
     * @throws RelayRefusedException if the relay refused the circuit
     * @throws DialException if neither way reached the peer
     */
    public PeerSession connect(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        if (ticket.directAddresses().isEmpty()) {
            return connectViaRelay(ticket);
        }
        try {
            return node.connect(ticket);
        } catch (DialException e) {
            if (ticket.relay().isEmpty()) {
                throw e;
            }
            LOG.info("No direct address of {} answered ({}); trying its relay", ticket.nodeId().shortString(),
                    e.getMessage());
            return connectViaRelay(ticket);
        }
    }

    /**
     * Connects to the node in {@code ticket} through the ticket's relay. The session's handshake is end to end and
     * pinned to the ticket's node ID; the relay sees only QUIC packets it cannot decrypt.
     *
     * @throws RelayRefusedException with {@link RelayRefusal#NO_RESERVATION} ("peer not reachable through relay")
     *         if the peer holds no reservation there, or another reason
     * @throws PeerIdentityMismatchException if the peer behind the relay presented another key
     * @throws DialException if the ticket has no relay or the relay cannot be reached
     */
    public PeerSession connectViaRelay(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        RelayAddress relay = ticket.relay().orElseThrow(() -> new DialException("ticket for node "
                + ticket.nodeId() + " names no relay", null));
        LogicalStream circuit = openCircuit(relay, ticket.nodeId());
        PacketBridge bridge;
        try {
            bridge = PacketBridge.start(circuit, openProxySocket(), null, "to-" + ticket.nodeId().shortString());
        } catch (IOException e) {
            circuit.reset(TIMEOUT_RESET_CODE);
            throw e;
        }
        try {
            PeerSession session = node.connect(Ticket.of(ticket.nodeId(), List.of(bridge.address())));
            relayed.add(session);
            session.closeFuture().whenComplete((reason, error) -> {
                relayed.remove(session);
                bridge.close();
            });
            bridge.done().whenComplete((v, error) -> session.close());
            LOG.debug("Relayed session to {} through {}", ticket.nodeId().shortString(),
                    relay.nodeId().shortString());
            return session;
        } catch (IOException | PeerIdentityMismatchException | RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /** Whether {@code session} was dialed through a relay by this client (for "direct or relayed" reports). */
    public boolean isRelayed(PeerSession session) {
        return relayed.contains(session);
    }

    /**
     * Opens a circuit to {@code target} at {@code relay}: the stream, once this returns, carries packets (see
     * {@link PacketFraming}). Package-private: {@link #connectViaRelay} is the API.
     *
     * @throws RelayRefusedException if the relay refused
     */
    LogicalStream openCircuit(RelayAddress relay, NodeId target) throws IOException {
        PeerSession session = sessionTo(relay);
        LogicalStream circuit = session.openStream(StreamKind.RELAY, PriorityClass.BULK, 1);
        try {
            circuit.outputStream().write(RelayCodec.encode(new Connect(target)));
            RelayMessage answer;
            try {
                answer = withTimeout(circuit, () -> RelayCodec.read(circuit.inputStream()));
            } catch (StreamResetException e) {
                Optional<RelayRefusal> reason = RelayRefusal.ofResetCode(e.errorCode());
                if (reason.isPresent()) {
                    throw new RelayRefusedException(reason.get(), "node " + target + " through relay "
                            + relay.nodeId());
                }
                throw e;
            }
            switch (answer) {
                case Accepted a -> {
                    return circuit;
                }
                case Refused(RelayRefusal reason) -> throw new RelayRefusedException(reason, "node " + target
                        + " through relay " + relay.nodeId() + " (" + relay.address() + ")");
                default -> throw new RelayProtocolException("relay answered CONNECT with "
                        + answer.getClass().getSimpleName());
            }
        } catch (IOException | RuntimeException e) {
            circuit.close();
            throw e;
        }
    }

    /** A circuit a relay opens to this node: bridged to the node's own listener if we hold a slot there. */
    private void acceptCircuit(PeerSession from, LogicalStream stream) throws IOException {
        RelayMessage first = RelayCodec.read(stream.inputStream());
        if (!(first instanceof Incoming(NodeId initiator))) {
            throw new RelayProtocolException("an incoming circuit must start with INCOMING, got "
                    + first.getClass().getSimpleName());
        }
        boolean ourRelay = reservations().stream().anyMatch(r -> r.session() == from);
        if (!ourRelay || incoming.incrementAndGet() > MAX_INCOMING_CIRCUITS) {
            if (ourRelay) {
                incoming.decrementAndGet();
            }
            LOG.debug("Refusing a circuit from {} via {}: {}", initiator.shortString(), from.peer().shortString(),
                    ourRelay ? "too many circuits" : "no reservation there");
            stream.outputStream().write(RelayCodec.encode(new Refused(RelayRefusal.TARGET_REFUSED)));
            return;
        }
        try {
            InetSocketAddress bound = node.localAddress();
            InetSocketAddress listener = bound.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(proxyIp(), bound.getPort()) : bound;
            PacketBridge bridge = PacketBridge.start(stream, openProxySocket(), listener,
                    "from-" + initiator.shortString());
            stream.outputStream().write(RelayCodec.encode(new Accepted()));
            LOG.debug("Accepted a relayed circuit from {} via {}", initiator.shortString(),
                    from.peer().shortString());
            bridge.done().join();
        } finally {
            incoming.decrementAndGet();
        }
    }

    private DatagramChannel openProxySocket() throws IOException {
        try {
            return socketThread.submit(() -> PacketBridge.openSocket(proxyIp())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening a proxy socket");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open a proxy socket: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The IP of the proxy sockets: loopback (of the node's address family), whatever address the node is bound to.
     * Packets between the node's sockets and a loopback proxy never leave the host, and the node then treats the
     * relayed path as a loopback path: the end-to-end QUIC packets are up to 16383 bytes whatever the networks
     * between node and relay carry, because the circuit stream, not those networks, carries them.
     */
    private InetAddress proxyIp() {
        if (node.localAddress().getAddress() instanceof Inet6Address bound && !bound.isAnyLocalAddress()) {
            return InetAddress.getLoopbackAddress() instanceof Inet6Address v6 ? v6 : IPV6_LOOPBACK;
        }
        return InetAddress.getLoopbackAddress() instanceof Inet4Address v4 ? v4 : IPV4_LOOPBACK;
    }

    private PeerSession sessionTo(RelayAddress relay) throws IOException {
        for (PeerSession s : node.sessions()) {
            if (s.peer().equals(relay.nodeId()) && !s.closeFuture().isDone()) {
                return s;
            }
        }
        try {
            return node.connect(Ticket.of(relay.nodeId(), List.of(relay.address())));
        } catch (PeerIdentityMismatchException e) {
            throw new DialException("relay at " + relay.address() + " is not the pinned relay: " + e.getMessage(),
                    e);
        }
    }

    private static InetAddress loopback(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
    }

    /** A blocking read on {@code stream} that a timer resets if the peer does not answer in time. */
    <T> T withTimeout(LogicalStream stream, IoCall<T> call) throws IOException {
        ScheduledFuture<?> timeout = timers.schedule(() -> stream.reset(TIMEOUT_RESET_CODE),
                ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return call.call();
        } finally {
            timeout.cancel(false);
        }
    }

    void forget(RelayReservation reservation) {
        held.remove(reservation);
    }

    /** Releases every reservation; the node itself stays open. */
    @Override
    public void close() {
        held.forEach(RelayReservation::close);
        timers.shutdownNow();
        socketThread.shutdownNow();
    }

    /** A blocking I/O call. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }
}
