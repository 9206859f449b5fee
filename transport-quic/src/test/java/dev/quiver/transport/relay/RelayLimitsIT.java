package dev.quiver.transport.relay;

import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.StreamResetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every relay limit refuses with its reason code, over real QUIC on loopback. */
class RelayLimitsIT {
    private final RelayTestNodes nodes = new RelayTestNodes();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    private RelayServer relay(RelayLimits limits) throws IOException {
        return nodes.relay(RelayServer.builder().limits(limits));
    }

    private RelayClient reservedTarget(RelayServer relay) throws IOException {
        RelayClient target = nodes.hashingTarget();
        target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        return target;
    }

    private static RelayRefusal refusal(Executable call) {
        return assertThrows(RelayRefusedException.class, call::run).reason();
    }

    @FunctionalInterface
    private interface Executable {
        void run() throws Exception;
    }

    @Test
    @Timeout(30)
    void reservationsBeyondTheCapAreRefused() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withMaxReservations(1));
        reservedTarget(relay);
        RelayClient second = nodes.client(nodes.node());
        assertEquals(RelayRefusal.RESERVATIONS_FULL,
                refusal(() -> second.reserve(relay.relayAddress(), Duration.ofMinutes(1))));
        assertEquals(1, relay.reservationCount());
    }

    @Test
    @Timeout(30)
    void connectAttemptsBeyondTheRateAreRefused() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withConnectsPerMinute(2));
        QuiverNode absent = nodes.node();
        RelayClient dialer = nodes.client(nodes.node());
        assertEquals(RelayRefusal.NO_RESERVATION, refusal(() -> dialer.openCircuit(relay.relayAddress(),
                absent.nodeId())));
        assertEquals(RelayRefusal.NO_RESERVATION, refusal(() -> dialer.openCircuit(relay.relayAddress(),
                absent.nodeId())));
        assertEquals(RelayRefusal.RATE_LIMITED, refusal(() -> dialer.openCircuit(relay.relayAddress(),
                absent.nodeId())));
        RelayClient other = nodes.client(nodes.node());
        assertEquals(RelayRefusal.NO_RESERVATION, refusal(() -> other.openCircuit(relay.relayAddress(),
                absent.nodeId())), "the rate is counted per node");
    }

    @Test
    @Timeout(30)
    void circuitsPerNodeAreCapped() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withCircuits(16, 1));
        RelayClient target = reservedTarget(relay);
        RelayClient dialer = nodes.client(nodes.node());
        RelayClient.Circuit first = dialer.openCircuit(relay.relayAddress(), target.node().nodeId());
        assertEquals(RelayRefusal.CIRCUITS_PER_NODE, refusal(() -> dialer.openCircuit(relay.relayAddress(),
                target.node().nodeId())));
        first.stream().close();
    }

    @Test
    @Timeout(30)
    void circuitsPerRelayAreCapped() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withCircuits(1, 8));
        RelayClient target = reservedTarget(relay);
        RelayClient dialer = nodes.client(nodes.node());
        RelayClient other = nodes.client(nodes.node());
        RelayClient.Circuit first = dialer.openCircuit(relay.relayAddress(), target.node().nodeId());
        assertEquals(RelayRefusal.RELAY_BUSY, refusal(() -> other.openCircuit(relay.relayAddress(),
                target.node().nodeId())));
        assertEquals(1, relay.circuitCount());
        first.stream().close();
    }

    @Test
    @Timeout(30)
    void aCircuitIsCutAtItsByteBudget() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withCircuitBudget(64 << 10, Duration.ofHours(1)));
        RelayClient target = reservedTarget(relay);
        RelayClient dialer = nodes.client(nodes.node());
        RelayClient.Circuit circuit = dialer.openCircuit(relay.relayAddress(), target.node().nodeId());
        CompletableFuture<Integer> end = CompletableFuture.supplyAsync(() -> {
            try {
                return circuit.stream().inputStream().read();
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
        // Packets forwarded once the target's side has bound (its bridge sends bind datagrams at once).
        try (DatagramChannel socket = DatagramChannel.open()) {
            socket.connect(circuit.dataAddress());
            ByteBuffer datagram = ByteBuffer.allocate(CircuitToken.BYTES + 1000);
            circuit.token().write(datagram);
            while (!end.isDone()) {
                socket.write(datagram.clear());
                Thread.sleep(1);
            }
        }
        ExecutionException failed = assertThrows(ExecutionException.class, end::get);
        StreamResetException reset = assertInstanceOf(StreamResetException.class, failed.getCause());
        assertEquals(RelayRefusal.CIRCUIT_BYTES, RelayRefusal.ofResetCode(reset.errorCode()).orElseThrow());
        assertTrue(relay.relayedBytes() <= 64 << 10, "forwarded " + relay.relayedBytes());
    }

    @Test
    @Timeout(30)
    void aCircuitIsCutAtItsTimeLimit() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT.withCircuitBudget(1L << 30, Duration.ofSeconds(1)));
        RelayClient target = reservedTarget(relay);
        RelayClient dialer = nodes.client(nodes.node());
        LogicalStream circuit = dialer.openCircuit(relay.relayAddress(), target.node().nodeId()).stream();
        long t0 = System.nanoTime();
        StreamResetException reset = assertThrows(StreamResetException.class, () -> circuit.inputStream().read());
        assertEquals(RelayRefusal.CIRCUIT_DURATION, RelayRefusal.ofResetCode(reset.errorCode()).orElseThrow());
        assertTrue(System.nanoTime() - t0 >= 500_000_000L, "cut too early");
    }

    @Test
    @Timeout(30)
    void aTargetThatRefusesGivesTargetRefused() throws Exception {
        RelayServer relay = relay(RelayLimits.DEFAULT);
        RelayClient target = reservedTarget(relay);
        target.node().handle(StreamKind.RELAY, (session, stream) -> {
            throw new IOException("this node takes no circuits");
        });
        RelayClient dialer = nodes.client(nodes.node());
        assertEquals(RelayRefusal.TARGET_REFUSED, refusal(() -> dialer.openCircuit(relay.relayAddress(),
                target.node().nodeId())));
        RelayTestNodes.awaitCount(relay::circuitCount, 0, "a refused circuit is released");
    }
}
