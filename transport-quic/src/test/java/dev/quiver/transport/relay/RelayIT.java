package dev.quiver.transport.relay;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.relay.RelayMessage.Accepted;
import dev.quiver.transport.relay.RelayMessage.Connect;
import dev.quiver.transport.relay.RelayMessage.Incoming;
import dev.quiver.transport.relay.RelayMessage.Ping;
import dev.quiver.transport.relay.RelayMessage.Pong;
import dev.quiver.transport.relay.RelayMessage.Reserve;
import dev.quiver.transport.relay.RelayMessage.Reserved;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relayed sessions over real QUIC on loopback: a relay, a target holding a reservation, a dialer. */
class RelayIT {
    private final RelayTestNodes nodes = new RelayTestNodes();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    @Test
    @Timeout(30)
    void transferThroughTheRelayIsVerifiedAndTheRelaySeesNoPlaintext() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RelayServer relay = nodes.relay(RelayServer.builder().observer((from, to, bytes, offset, length) -> {
            synchronized (captured) {
                captured.write(bytes, offset, length);
            }
        }));
        RelayClient target = nodes.hashingTarget();
        target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        Ticket ticket = Ticket.of(target.node().nodeId(), List.of(), Optional.of(relay.relayAddress()),
                Optional.empty());
        RelayClient dialer = nodes.client(nodes.node());

        PeerSession session = dialer.connectViaRelay(ticket);
        assertEquals(target.node().nodeId(), session.peer());
        byte[] data = RelayTestNodes.markedPlaintext(4 << 20);
        assertTrue(RelayTestNodes.contains(data, 4096, RelayTestNodes.MARKER), "the check can find the marker");
        assertArrayEquals(Blake3.hash(data), RelayTestNodes.sendForHash(session, data));

        synchronized (captured) {
            byte[] seen = captured.toByteArray();
            assertTrue(seen.length > data.length, "the relay forwarded " + seen.length + " bytes");
            assertFalse(RelayTestNodes.contains(seen, seen.length, RelayTestNodes.MARKER),
                    "the relay's forwarded bytes contain the plaintext");
        }
        assertTrue(relay.relayedBytes() > data.length);
        assertEquals(1, relay.circuitCount());
        session.close();
        RelayTestNodes.awaitCount(relay::circuitCount, 0, "closing the session closes the circuit");
    }

    @Test
    @Timeout(30)
    void connectFallsBackToTheRelayWhenNoDirectAddressAnswers() throws Exception {
        RelayServer relay = nodes.relay();
        RelayClient target = nodes.hashingTarget();
        target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        assertEquals(Optional.of(relay.relayAddress()), target.ticket().relay());
        Ticket ticket = Ticket.of(target.node().nodeId(), List.of(RelayTestNodes.deadAddress()),
                Optional.of(relay.relayAddress()), Optional.empty());
        RelayClient dialer = nodes.client(nodes.node());

        PeerSession session = dialer.connect(ticket);
        assertTrue(dialer.isRelayed(session), "the session went through the relay");
        PeerSession direct = dialer.connect(Ticket.of(target.node().nodeId(), target.ticket().directAddresses(),
                target.ticket().relay(), Optional.empty()));
        assertFalse(dialer.isRelayed(direct), "a reachable direct address is used first");
        byte[] data = RelayTestNodes.markedPlaintext(1 << 20);
        assertArrayEquals(Blake3.hash(data), RelayTestNodes.sendForHash(session, data));
        assertEquals(1, relay.circuitCount());
    }

    @Test
    @Timeout(30)
    void anUnreservedTargetIsNotReachableThroughTheRelay() throws Exception {
        RelayServer relay = nodes.relay();
        QuiverNode absent = nodes.node();
        RelayClient dialer = nodes.client(nodes.node());
        Ticket ticket = Ticket.of(absent.nodeId(), List.of(), Optional.of(relay.relayAddress()), Optional.empty());

        RelayRefusedException e = assertThrows(RelayRefusedException.class, () -> dialer.connectViaRelay(ticket));
        assertEquals(RelayRefusal.NO_RESERVATION, e.reason());
        assertTrue(e.getMessage().contains("peer not reachable through relay"), e.getMessage());
    }

    @Test
    @Timeout(30)
    void aReleasedReservationMakesTheTargetUnreachable() throws Exception {
        RelayServer relay = nodes.relay();
        RelayClient target = nodes.hashingTarget();
        RelayReservation reservation = target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        assertTrue(reservation.check(), "a held reservation passes its health check");
        reservation.close();
        RelayTestNodes.awaitCount(relay::reservationCount, 0, "a closed reservation is released");
        RelayClient dialer = nodes.client(nodes.node());
        Ticket ticket = Ticket.of(target.node().nodeId(), List.of(), Optional.of(relay.relayAddress()),
                Optional.empty());
        RelayRefusedException e = assertThrows(RelayRefusedException.class, () -> dialer.connectViaRelay(ticket));
        assertEquals(RelayRefusal.NO_RESERVATION, e.reason());
    }

    /**
     * A relay that lies: it routes every CONNECT to the one node that reserved with it. The dialer pinned the
     * victim's node ID, so the end-to-end handshake with the impostor must fail.
     */
    @Test
    @Timeout(30)
    void aPeerWithTheWrongKeyBehindTheRelayFailsTheHandshake() throws Exception {
        QuiverNode evil = nodes.node();
        RelayDataPlane evilPlane = nodes.closeLater(RelayDataPlane.open(evil.localAddress().getAddress(), 0,
                ForwardObserver.NONE, new LongAdder()));
        CompletableFuture<PeerSession> impostorSession = new CompletableFuture<>();
        evil.handle(RelayCodec.SERVICE_ID, (session, stream) -> {
            impostorSession.complete(session);
            while (true) {
                RelayMessage m;
                try {
                    m = RelayCodec.read(stream.inputStream());
                } catch (EOFException e) {
                    return;
                }
                RelayMessage answer = m instanceof Reserve(int ttl) ? new Reserved(ttl)
                        : new Pong(((Ping) m).nonce(), 60);
                stream.outputStream().write(RelayCodec.encode(answer));
            }
        });
        evil.handle(StreamKind.RELAY, (session, fromInitiator) -> {
            Connect connect = (Connect) RelayCodec.read(fromInitiator.inputStream());
            PeerSession impostor = impostorSession.get(5, TimeUnit.SECONDS);
            try (LogicalStream toImpostor = impostor.openStream(StreamKind.RELAY, PriorityClass.BULK, 1);
                 RelayCircuit circuit = new RelayCircuit(evilPlane, fromInitiator, session.peer(), toImpostor,
                         connect.target(), Long.MAX_VALUE)) {
                toImpostor.outputStream().write(RelayCodec.encode(new Incoming(session.peer(),
                        Optional.of(circuit.targetGrant()))));
                assertTrue(RelayCodec.read(toImpostor.inputStream()) instanceof Accepted);
                fromInitiator.outputStream().write(RelayCodec.encode(new Accepted(
                        Optional.of(circuit.initiatorGrant()))));
                circuit.run();
            }
        });
        RelayAddress evilRelay = new RelayAddress(evil.nodeId(), evil.localAddress());
        RelayClient impostor = nodes.hashingTarget();
        impostor.reserve(evilRelay, Duration.ofMinutes(1));
        NodeId victim = NodeIdentity.generate(KeyType.ED25519).nodeId();
        RelayClient dialer = nodes.client(nodes.node());

        Ticket ticket = Ticket.of(victim, List.of(), Optional.of(evilRelay), Optional.empty());
        PeerIdentityMismatchException e = assertThrows(PeerIdentityMismatchException.class,
                () -> dialer.connectViaRelay(ticket));
        assertEquals(victim, e.expected());
        assertEquals(impostor.node().nodeId(), e.presented());
        assertTrue(dialer.node().sessions().stream().noneMatch(s -> s.peer().equals(impostor.node().nodeId())),
                "no session with the impostor");
    }

    /**
     * An idle reservation holds no thread at the relay (each once parked a virtual thread whose stack was about
     * 4 KiB of the relay's heap): every reservation still answers its health checks, and a thread dump of the relay's
     * process shows no thread serving a reservation stream.
     */
    @Test
    @Timeout(30)
    void idleReservationsHoldNoThreadAtTheRelay() throws Exception {
        RelayServer relay = nodes.relay();
        List<RelayReservation> held = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(nodes.hashingTarget().reserve(relay.relayAddress(), Duration.ofMinutes(1)));
        }
        assertEquals(4, relay.reservationCount());
        for (int round = 0; round < 3; round++) {
            for (RelayReservation r : held) {
                assertTrue(r.check(), "a held reservation answers its health check");
            }
        }
        java.nio.file.Path dump = java.nio.file.Files.createTempDirectory("qv-threads").resolve("threads.txt");
        try {
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String threads = java.nio.file.Files.readString(dump);
            assertTrue(threads.contains("RelayIT.idleReservationsHoldNoThreadAtTheRelay"), "the dump has stacks");
            assertFalse(threads.contains("ReservationStream") || threads.contains("serveReservation"),
                    "a thread is serving a reservation stream:\n" + threads);
        } finally {
            java.nio.file.Files.deleteIfExists(dump);
            java.nio.file.Files.deleteIfExists(dump.getParent());
        }
        held.getFirst().close();
        RelayTestNodes.awaitCount(relay::reservationCount, 3, "ending its stream releases a reservation");
    }

    /**
     * The relay's reservation stream by hand: a RESERVE that arrives a byte at a time is answered once whole, a PING
     * right behind a message in the same write is answered too, and garbage resets the stream and releases the
     * reservation.
     */
    @Test
    @Timeout(30)
    void theReservationStreamAnswersMessagesHoweverTheyArriveAndResetsOnGarbage() throws Exception {
        RelayServer relay = nodes.relay();
        QuiverNode node = nodes.node();
        PeerSession session = node.connect(Ticket.of(relay.nodeId(), List.of(relay.localAddress())));
        LogicalStream stream = session.openStream(RelayCodec.SERVICE_ID, PriorityClass.INTERACTIVE, 1);
        byte[] reserve = RelayCodec.encode(new Reserve(30));
        for (byte b : reserve) {
            stream.outputStream().write(b);
            stream.outputStream().flush();
            Thread.sleep(20);
        }
        assertEquals(new Reserved(30), RelayCodec.read(stream.inputStream()));
        assertEquals(1, relay.reservationCount());
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(RelayCodec.encode(new Ping(7)));
        two.writeBytes(RelayCodec.encode(new Ping(8)));
        stream.outputStream().write(two.toByteArray());
        assertEquals(7, ((Pong) RelayCodec.read(stream.inputStream())).nonce());
        Pong second = (Pong) RelayCodec.read(stream.inputStream());
        assertEquals(8, second.nonce());
        assertTrue(second.ttlLeftSeconds() > 0 && second.ttlLeftSeconds() <= 30, "ttl " + second.ttlLeftSeconds());
        stream.outputStream().write(new byte[] {(byte) 0xEE, 0});
        assertThrows(dev.quiver.transport.StreamResetException.class, () -> RelayCodec.read(stream.inputStream()),
                "garbage resets the reservation stream");
        RelayTestNodes.awaitCount(relay::reservationCount, 0, "a reset reservation stream releases the reservation");
    }
}
