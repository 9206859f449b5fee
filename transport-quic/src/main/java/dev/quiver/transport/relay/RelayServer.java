package dev.quiver.transport.relay;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.relay.RelayMessage.Accepted;
import dev.quiver.transport.relay.RelayMessage.Connect;
import dev.quiver.transport.relay.RelayMessage.Incoming;
import dev.quiver.transport.relay.RelayMessage.Ping;
import dev.quiver.transport.relay.RelayMessage.Pong;
import dev.quiver.transport.relay.RelayMessage.Refused;
import dev.quiver.transport.relay.RelayMessage.Reserve;
import dev.quiver.transport.relay.RelayMessage.Reserved;
import dev.quiver.transport.sched.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A relay: a Quiver node with its own identity that holds reservations and forwards circuits between nodes that
 * cannot reach each other. It forwards QUIC packets that are encrypted end to end between the two nodes, so it can
 * neither read nor alter them, and it enforces {@link RelayLimits} so it is not an open proxy.
 *
 * <pre>{@code
 * try (RelayServer relay = RelayServer.builder().bindAddress(address).build()) {
 *     System.out.println("relay: " + relay.ticket());
 *     // serve until shut down
 * }
 * }</pre>
 *
 * <p>Circuits are set up on the authenticated QUIC sessions; their packets then travel as plain UDP datagrams
 * through the relay's one data socket ({@link RelayDataPlane}), named by per-side random tokens.
 *
 * <p>Thread-safe. Each reservation stream is served without a thread of its own ({@link ReservationStream}: a
 * short-lived virtual thread per message), each circuit's set-up on its own virtual thread; one platform thread
 * forwards all circuit datagrams.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final QuiverNode node;
    private final RelayLimits limits;
    private final NanoClock clock;
    private final ForwardObserver observer;
    private final ReservationTable reservations;
    private final CircuitAdmission admission;
    private final LongAdder relayedBytes = new LongAdder();
    private final RelayDataPlane dataPlane;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quiver-relay-timers").factory());

    private RelayServer(QuiverNode node, Builder b) throws IOException {
        this.node = node;
        this.limits = b.limits;
        this.clock = b.clock;
        this.observer = b.observer;
        this.reservations = new ReservationTable(limits.maxReservations());
        this.admission = new CircuitAdmission(limits);
        try {
            this.dataPlane = RelayDataPlane.open(node.localAddress().getAddress(), b.dataPort, observer,
                    relayedBytes);
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        node.handle(RelayCodec.SERVICE_ID, this::serveReservation);
        node.handle(StreamKind.RELAY, this::serveCircuit);
        LOG.info("Relay {} listening on {}, circuit data on UDP port {} ({})", node.nodeId(), node.localAddress(),
                dataPlane.port(), limits);
    }

    /** A builder with defaults: loopback, a fresh identity, {@link RelayLimits#DEFAULT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The relay's node ID (nodes pin it). */
    public NodeId nodeId() {
        return node.nodeId();
    }

    /** The UDP address the relay listens on. */
    public InetSocketAddress localAddress() {
        return node.localAddress();
    }

    /** What a node puts in its ticket when it holds a reservation here. */
    public RelayAddress relayAddress() {
        return new RelayAddress(nodeId(), localAddress());
    }

    /** The relay's own ticket (its node ID and address), printed as {@code relay: <ticket>}. */
    public Ticket ticket() {
        return node.ticket();
    }

    /** Reservations held now. */
    public int reservationCount() {
        return reservations.size();
    }

    /** Circuits open now. */
    public int circuitCount() {
        return admission.circuits();
    }

    /** The UDP port of the relay's data socket (circuit datagrams; same IP as {@link #localAddress()}). */
    public int dataPort() {
        return dataPlane.port();
    }

    /**
     * Circuit datagrams dropped since start, by reason: malformed or oversize, unknown token, foreign source
     * (a valid token from an address other than the one its side bound), other side not bound yet.
     */
    public long[] droppedDatagrams() {
        return dataPlane.dropped();
    }

    /** Inner QUIC packet bytes forwarded through circuits since start, both directions. */
    public long relayedBytes() {
        return relayedBytes.sum();
    }

    /** The limits in force. */
    public RelayLimits limits() {
        return limits;
    }

    private void serveReservation(PeerSession session, LogicalStream stream) {
        NodeId peer = session.peer();
        new ReservationStream(stream, request -> switch (request) {
            case Reserve r -> reserve(session, r);
            case Ping p -> new Pong(p.nonce(), reservations.ttlLeftSeconds(peer, session, clock.nowNs()));
            default -> throw new RelayProtocolException("unexpected " + request.getClass().getSimpleName()
                    + " on the reservation stream");
        }, () -> {
            reservations.release(peer, session);
            LOG.debug("Reservation of {} ended", peer.shortString());
        }).start();
    }

    private RelayMessage reserve(PeerSession session, Reserve request) {
        long ttlSeconds = Math.max(1, Math.min(request.ttlSeconds(), limits.maxReservationTtl().toSeconds()));
        Optional<RelayRefusal> refusal = reservations.reserve(session, TimeUnit.SECONDS.toNanos(ttlSeconds),
                clock.nowNs());
        if (refusal.isPresent()) {
            LOG.debug("Refused a reservation for {}: {}", session.peer().shortString(), refusal.get());
            return new Refused(refusal.get());
        }
        LOG.debug("Reservation for {} held for {} s", session.peer().shortString(), ttlSeconds);
        return new Reserved((int) ttlSeconds);
    }

    private void serveCircuit(PeerSession session, LogicalStream stream) throws IOException, InterruptedException {
        RelayMessage first = RelayCodec.read(stream.inputStream());
        if (!(first instanceof Connect(NodeId target))) {
            throw new RelayProtocolException("a circuit stream must start with CONNECT, got "
                    + first.getClass().getSimpleName());
        }
        NodeId initiator = session.peer();
        Optional<RelayRefusal> refusal = admission.attempt(initiator, clock.nowNs());
        Optional<PeerSession> targetSession = reservations.target(target, clock.nowNs());
        if (refusal.isEmpty() && targetSession.isEmpty()) {
            refusal = Optional.of(RelayRefusal.NO_RESERVATION);
        }
        if (refusal.isEmpty()) {
            refusal = admission.open(initiator, target);
            if (refusal.isEmpty()) {
                try {
                    runCircuit(initiator, stream, target, targetSession.get());
                } finally {
                    admission.close(initiator, target);
                }
                return;
            }
        }
        LOG.debug("Refused a circuit {} -> {}: {}", initiator.shortString(), target.shortString(), refusal.get());
        stream.outputStream().write(RelayCodec.encode(new Refused(refusal.get())));
    }

    private void runCircuit(NodeId initiator, LogicalStream fromInitiator, NodeId target, PeerSession targetSession)
            throws IOException, InterruptedException {
        LogicalStream toTarget;
        try {
            toTarget = targetSession.openStream(StreamKind.RELAY, PriorityClass.BULK, 1);
        } catch (IOException e) {
            LOG.debug("Cannot open a circuit to {}: {}", target.shortString(), e.toString());
            fromInitiator.outputStream().write(RelayCodec.encode(new Refused(RelayRefusal.NO_RESERVATION)));
            return;
        }
        try (toTarget; RelayCircuit circuit = new RelayCircuit(dataPlane, fromInitiator, initiator, toTarget,
                target, limits.maxCircuitBytes())) {
            ScheduledFuture<?> answerTimeout = timers.schedule(
                    () -> toTarget.reset(RelayRefusal.TARGET_REFUSED.resetCode()),
                    limits.targetAnswerTimeout().toNanos(), TimeUnit.NANOSECONDS);
            RelayMessage answer;
            try {
                // The target may reset the stream before INCOMING is even written: either way it refused.
                toTarget.outputStream().write(RelayCodec.encode(new Incoming(initiator,
                        Optional.of(circuit.targetGrant()))));
                answer = RelayCodec.read(toTarget.inputStream());
            } catch (IOException e) {
                answer = new Refused(RelayRefusal.TARGET_REFUSED);
            } finally {
                answerTimeout.cancel(false);
            }
            if (!(answer instanceof Accepted)) {
                RelayRefusal why = answer instanceof Refused(RelayRefusal reason) ? reason
                        : RelayRefusal.TARGET_REFUSED;
                fromInitiator.outputStream().write(RelayCodec.encode(new Refused(why)));
                toTarget.reset(RelayRefusal.TARGET_REFUSED.resetCode());
                return;
            }
            fromInitiator.outputStream().write(RelayCodec.encode(new Accepted(Optional.of(circuit.initiatorGrant()))));
            ScheduledFuture<?> deadline = timers.schedule(() -> circuit.cut(RelayRefusal.CIRCUIT_DURATION),
                    limits.maxCircuitDuration().toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("Circuit {} -> {} open", initiator.shortString(), target.shortString());
            try {
                circuit.run();
            } finally {
                deadline.cancel(false);
                LOG.debug("Circuit {} -> {} closed after {} bytes", initiator.shortString(), target.shortString(),
                        circuit.bytes());
            }
        }
    }

    /** Stops the relay: every session and circuit closes. */
    @Override
    public void close() {
        timers.shutdownNow();
        node.close();
        dataPlane.close();
    }

    /** Builder of a relay; not thread-safe. */
    public static final class Builder {
        private final QuiverNode.Builder node = QuiverNode.builder();
        private RelayLimits limits = RelayLimits.DEFAULT;
        private ForwardObserver observer = ForwardObserver.NONE;
        private NanoClock clock = NanoClock.system();
        private int dataPort;

        private Builder() {
        }

        /**
         * The UDP port of the relay's data socket, on the same IP as the relay's QUIC socket (default 0: an
         * ephemeral port; nodes learn it in the circuit set-up). Fix it when a firewall must let circuits through.
         */
        public Builder dataPort(int value) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("data port " + value + " outside 0..65535");
            }
            dataPort = value;
            return this;
        }

        /** Where to listen (default: loopback, ephemeral port). */
        public Builder bindAddress(InetSocketAddress value) {
            node.bindAddress(value);
            return this;
        }

        /** Listens on {@code address}:{@code port}. */
        public Builder bindAddress(InetAddress address, int port) {
            return bindAddress(new InetSocketAddress(address, port));
        }

        /** Load (or create on first run) the relay's key in {@code directory}. */
        public Builder identityDirectory(Path directory) {
            node.identityDirectory(directory);
            return this;
        }

        /** Use {@code value} as the relay identity. */
        public Builder identity(NodeIdentity value) {
            node.identity(value);
            return this;
        }

        /** QUIC settings of the relay's endpoint. */
        public Builder quicConfig(QuicConfig value) {
            node.quicConfig(value);
            return this;
        }

        /** Session limits of the relay's sessions (stream windows bound what a circuit buffers). */
        public Builder sessionLimits(SessionLimits value) {
            node.limits(value);
            return this;
        }

        /** The relay's limits (default {@link RelayLimits#DEFAULT}). */
        public Builder limits(RelayLimits value) {
            limits = Objects.requireNonNull(value);
            return this;
        }

        /** Sees every forwarded inner packet (metering, tests); default none. */
        public Builder observer(ForwardObserver value) {
            observer = Objects.requireNonNull(value);
            return this;
        }

        /** The clock for TTLs and rate windows (default {@link NanoClock#system()}). */
        public Builder clock(NanoClock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Binds the socket and starts serving.
         *
         * @throws IOException if the identity cannot be loaded or the socket cannot be bound
         */
        public RelayServer build() throws IOException {
            return new RelayServer(node.build(), this);
        }
    }
}
