package dev.quiver.transport.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's UDP data socket on loopback: a circuit's token binds the first source that uses it, and datagrams with
 * an unknown token, from a foreign source or malformed are dropped and counted, never forwarded into the circuit.
 */
class RelayDataPathIT {
    private static final int MALFORMED = 0;
    private static final int UNKNOWN_TOKEN = 1;
    private static final int FOREIGN_SOURCE = 2;

    private final RelayTestNodes nodes = new RelayTestNodes();
    private final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    @Test
    @Timeout(30)
    void onlyTheBoundSourceWithTheCircuitsTokenReachesTheOtherSide() throws Exception {
        RelayServer relay = nodes.relay(RelayServer.builder().observer((from, to, bytes, offset, length) -> {
            synchronized (forwarded) {
                forwarded.write(bytes, offset, length);
            }
        }));
        RelayClient target = nodes.hashingTarget();
        target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        RelayClient dialer = nodes.client(nodes.node());
        RelayClient.Circuit circuit = dialer.openCircuit(relay.relayAddress(), target.node().nodeId());

        try (DatagramChannel owner = DatagramChannel.open(); DatagramChannel thief = DatagramChannel.open()) {
            owner.connect(circuit.dataAddress());
            thief.connect(circuit.dataAddress());
            // The owner's first datagram binds its address; repeat until the target's side has bound too and the
            // relay forwards (the target's bridge sends its bind datagrams at once).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen("owner") && System.nanoTime() < deadline) {
                owner.write(datagram(circuit.token(), "owner"));
                Thread.sleep(10);
            }
            assertTrue(seen("owner"), "the bound owner's packet is forwarded");

            long[] before = relay.droppedDatagrams();
            for (int i = 0; i < 20; i++) {
                thief.write(datagram(circuit.token(), "thief"));
                owner.write(datagram(CircuitToken.random(), "guess"));
                owner.write(ByteBuffer.wrap(new byte[CircuitToken.BYTES - 1]));
            }
            owner.write(datagram(circuit.token(), "after"));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen("after") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(seen("after"), "the owner still gets through after the thief tried");
            long[] after = relay.droppedDatagrams();
            assertEquals(20, after[FOREIGN_SOURCE] - before[FOREIGN_SOURCE], "foreign-source datagrams counted");
            assertEquals(20, after[UNKNOWN_TOKEN] - before[UNKNOWN_TOKEN], "unknown-token datagrams counted");
            assertEquals(20, after[MALFORMED] - before[MALFORMED], "short datagrams counted");
            assertFalse(seen("thief"), "a foreign source injected into the circuit");
            assertFalse(seen("guess"), "an unknown token reached a circuit");
        }
        circuit.stream().close();
    }

    private boolean seen(String marker) {
        synchronized (forwarded) {
            return forwarded.toString(StandardCharsets.ISO_8859_1).contains(marker);
        }
    }

    private static ByteBuffer datagram(CircuitToken token, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer datagram = ByteBuffer.allocate(CircuitToken.BYTES + bytes.length);
        token.write(datagram);
        return datagram.position(CircuitToken.BYTES).put(bytes).flip();
    }
}
