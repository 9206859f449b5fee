package dev.quiver.transport.relay;

import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.DialException;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.StreamResetException;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.quic.CircuitSide;
import dev.quiver.transport.relay.RelayMessage.Accepted;
import dev.quiver.transport.relay.RelayMessage.Connect;
import dev.quiver.transport.relay.RelayMessage.Incoming;
import dev.quiver.transport.relay.RelayMessage.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's side of relaying: holds reservations at relays, accepts the circuits they open to this node, and dials
 * peers through their relay.
 *
 * <p>A circuit carries QUIC packets between this node's own QUIC sockets and the relay's data socket, each under
 * the circuit's token: on the dialing side this node dials the circuit's virtual peer address with the peer's
 * node ID pinned as usual, on the target side its listener answers the connection that arrives from a virtual
 * address ({@link CircuitSide}). The end-to-end handshake is therefore the ordinary one, pinned to both node IDs,
 * and the result is an ordinary {@link PeerSession}.
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
    /** Most circuits this node accepts at once (each costs a circuit side and two virtual threads). */
    public static final int MAX_INCOMING_CIRCUITS = 64;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    /** How long {@link #connect(Ticket)} dials directly before it tries the relay as well. */
    public static final Duration DEFAULT_HEDGE_DELAY = Duration.ofMillis(1500);
    private static final long TIMEOUT_RESET_CODE = RelayRefusal.RESET_CODE_BASE;

    private final QuiverNode node;
    private final Set<RelayReservation> held = new CopyOnWriteArraySet<>();
    private final Set<PeerSession> relayed = ConcurrentHashMap.newKeySet();
    /** Virtual peer addresses of live circuits: a path whose remote end is one of them is relayed. */
    private final Set<InetSocketAddress> circuitPeers = ConcurrentHashMap.newKeySet();
    private final Map<PeerSession, DirectUpgrade> upgrades = new ConcurrentHashMap<>();
    private final AtomicInteger incoming = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quiver-relay-client-timers").factory());
    /**
     * Registers dialing circuit sides, which may bind the node's dial socket. A socket belongs to the network
     * namespace of the thread that creates it; this thread is started now, so it lives where the client is made
     * (the node's namespace), while connects run on threads whose carriers may live elsewhere.
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
     * Connects to the node in {@code ticket}: its direct addresses first and, if none has answered within
     * {@link #DEFAULT_HEDGE_DELAY} (or all failed sooner), also through its relay, whichever succeeds first (the
     * other is closed). A direct address that answers with the wrong key fails at once (no fallback).
     *
     * @throws PeerIdentityMismatchException if a direct address or the relayed peer presented another key
     * @throws RelayRefusedException if the relay refused the circuit and no direct address answered
     * @throws DialException if neither way reached the peer
     */
    public PeerSession connect(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        return connect(ticket, DEFAULT_HEDGE_DELAY);
    }

    /**
     * {@link #connect(Ticket)} with the relay tried after {@code hedgeDelay} of unanswered direct dialing (happy
     * eyeballs, RFC 8305 §5, between the direct and the relayed way) instead of after the direct dial's timeout.
     */
    public PeerSession connect(Ticket ticket, Duration hedgeDelay) throws IOException, PeerIdentityMismatchException {
        if (ticket.directAddresses().isEmpty()) {
            return connectViaRelay(ticket);
        }
        if (ticket.relay().isEmpty()) {
            return node.connect(ticket);
        }
        return new HedgedDial(this, ticket, hedgeDelay, timers).await();
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
        Circuit circuit = openCircuit(relay, ticket.nodeId());
        CircuitLink link;
        try {
            // The dial socket may be bound now: on the socket thread, in the node's network namespace.
            CircuitSide side = onSocketThread(() -> node.openCircuitSide(circuit.dataAddress(),
                    circuit.token().bytes(), true));
            link = CircuitLink.start(circuit.stream(), side, "to-" + ticket.nodeId().shortString());
        } catch (IOException e) {
            circuit.stream().reset(TIMEOUT_RESET_CODE);
            throw e;
        }
        InetSocketAddress peer = link.peerAddress();
        try {
            PeerSession session = node.connect(Ticket.of(ticket.nodeId(), List.of(peer)));
            relayed.add(session);
            circuitPeers.add(peer);
            DirectUpgrade upgrade = new DirectUpgrade(session, peer, ticket.directAddresses()).start();
            upgrades.put(session, upgrade);
            // The peer's address updates (a direct address it proved later, say) are probed at once.
            session.onPeerAddresses(entries -> {
                NodeAddresses addresses = NodeAddresses.fromUpdate(entries);
                List<InetSocketAddress> direct = new java.util.ArrayList<>(addresses.direct());
                direct.addAll(addresses.unverified());
                upgrade.addresses(direct);
            });
            session.closeFuture().whenComplete((reason, error) -> {
                relayed.remove(session);
                upgrades.remove(session);
                circuitPeers.remove(peer);
                link.close();
            });
            link.done().whenComplete((v, error) -> relayGone(session, upgrade));
            LOG.debug("Relayed session to {} through {}", ticket.nodeId().shortString(),
                    relay.nodeId().shortString());
            return session;
        } catch (IOException | PeerIdentityMismatchException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * The circuit of a relayed session ended: a session upgraded to a direct path loses only its relayed path
     * (the session re-sends what was in flight there); otherwise the session had no other way and closes.
     */
    private void relayGone(PeerSession session, DirectUpgrade upgrade) {
        Thread.ofVirtual().start(() -> {
            try {
                dropRelayedPath(session, upgrade);
            } catch (RejectedExecutionException e) {
                // The node closed first (its circuits end with it): its event loop, and the session, are gone.
                LOG.debug("The relayed session to {} ended with its node", session.peer().shortString());
            }
        });
    }

    private static void dropRelayedPath(PeerSession session, DirectUpgrade upgrade) {
        try {
            if (upgrade.hasDirectPath()) {
                for (PathStats p : session.paths()) {
                    if (upgrade.isRelayPath(p) && p.state() != PathState.CLOSED) {
                        LOG.info("The relay circuit to {} ended; the session carries on over its direct path",
                                session.peer().shortString());
                        session.removePath(p.id());
                    }
                }
                return;
            }
        } catch (IOException e) {
            LOG.debug("Cannot drop the relayed path of {}: {}", session.peer().shortString(), e.getMessage());
        }
        session.close();
    }

    /**
     * Tells every peer with an open session (relays aside) this node's new address set, on the session's control
     * stream; {@link RelayAcquisition} calls it with every set it publishes.
     */
    public void announce(NodeAddresses addresses) {
        List<AddressUpdate.Entry> entries = addresses.toUpdate();
        Set<NodeId> relays = new java.util.HashSet<>();
        held.forEach(r -> relays.add(r.relay().nodeId()));
        for (PeerSession session : node.sessions()) {
            if (relays.contains(session.peer()) || session.closeFuture().isDone()) {
                continue;
            }
            try {
                session.announceAddresses(entries);
            } catch (IOException e) {
                LOG.debug("Cannot tell {} the new addresses: {}", session.peer().shortString(), e.getMessage());
            }
        }
    }

    /** Whether {@code session} was dialed through a relay by this client (for "direct or relayed" reports). */
    public boolean isRelayed(PeerSession session) {
        return relayed.contains(session);
    }

    /**
     * What kind of path {@code path} is: relayed if it runs through one of this client's circuits (dialed or
     * accepted; its remote end is a circuit's virtual address), else direct.
     */
    public PathKind kindOf(PathStats path) {
        return circuitPeers.contains(path.remoteAddress()) ? PathKind.RELAYED : PathKind.DIRECT;
    }

    /**
     * How many times a direct path joined the relayed session {@code session} (0 if it never did or the session
     * was not relayed by this client).
     */
    public int directUpgrades(PeerSession session) {
        DirectUpgrade upgrade = upgrades.get(session);
        return upgrade == null ? 0 : upgrade.upgrades();
    }

    /**
     * An accepted circuit as its initiator sees it: the circuit stream (its end ends the circuit), this side's
     * token and the relay's data address (the relay's IP as this node reaches it, the granted port).
     */
    record Circuit(LogicalStream stream, CircuitToken token, InetSocketAddress dataAddress) {
    }

    /**
     * Opens a circuit to {@code target} at {@code relay}: once this returns, packets go to the circuit's data
     * address under its token ({@link CircuitToken}). Package-private: {@link #connectViaRelay} is the API.
     *
     * @throws RelayRefusedException if the relay refused
     * @throws RelayProtocolException if the relay granted no UDP data path
     */
    Circuit openCircuit(RelayAddress relay, NodeId target) throws IOException {
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
                case Accepted(Optional<CircuitGrant> grant) when grant.isPresent() -> {
                    return new Circuit(circuit, grant.get().token(),
                            new InetSocketAddress(relay.address().getAddress(), grant.get().dataPort()));
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

    /** A circuit a relay opens to this node: served by the node's own listener if we hold a slot there. */
    private void acceptCircuit(PeerSession from, LogicalStream stream) throws IOException {
        RelayMessage first = RelayCodec.read(stream.inputStream());
        if (!(first instanceof Incoming(NodeId initiator, Optional<CircuitGrant> grant))) {
            throw new RelayProtocolException("an incoming circuit must start with INCOMING, got "
                    + first.getClass().getSimpleName());
        }
        Optional<RelayReservation> ours = reservations().stream().filter(r -> r.session() == from).findFirst();
        String refusal = ours.isEmpty() ? "no reservation there" : grant.isEmpty() ? "the relay grants no UDP data path"
                : null;
        if (refusal == null && incoming.incrementAndGet() > MAX_INCOMING_CIRCUITS) {
            incoming.decrementAndGet();
            refusal = "too many circuits";
        }
        if (refusal != null) {
            LOG.debug("Refusing a circuit from {} via {}: {}", initiator.shortString(), from.peer().shortString(),
                    refusal);
            stream.outputStream().write(RelayCodec.encode(new Refused(RelayRefusal.TARGET_REFUSED)));
            return;
        }
        try {
            CircuitSide side = node.openCircuitSide(new InetSocketAddress(ours.get().relay().address().getAddress(),
                    grant.get().dataPort()), grant.get().token().bytes(), false);
            CircuitLink link = CircuitLink.start(stream, side, "from-" + initiator.shortString());
            InetSocketAddress peer = link.peerAddress();
            circuitPeers.add(peer);
            try {
                stream.outputStream().write(RelayCodec.encode(new Accepted()));
                LOG.debug("Accepted a relayed circuit from {} via {}", initiator.shortString(),
                        from.peer().shortString());
                link.done().join();
            } finally {
                circuitPeers.remove(peer);
                link.close();
            }
        } finally {
            incoming.decrementAndGet();
        }
    }

    private <T> T onSocketThread(Callable<T> open) throws IOException {
        try {
            return socketThread.submit(open).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening a circuit side");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open a circuit side: " + e.getCause(), e.getCause());
        }
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
