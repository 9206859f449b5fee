package dev.quiver.transport.relay;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acquisition driver against a real relay that restarts while a node holds a slot there. */
class RelayAcquisitionIT {
    private static final AcquisitionPolicy QUICK = new AcquisitionPolicy(Duration.ofMillis(500),
            Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(1));
    private final RelayTestNodes nodes = new RelayTestNodes();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(30)
    void theNodeReacquiresAfterTheRelayRestartsAndANewTransferSucceeds() throws Exception {
        NodeIdentity relayIdentity = NodeIdentity.generate(KeyType.ED25519);
        RelayServer first = RelayServer.builder().identity(relayIdentity).quicConfig(RelayTestNodes.QUIC).build();
        RelayAddress relay = first.relayAddress();
        RelayClient target = nodes.hashingTarget();
        List<NodeAddresses> published = new CopyOnWriteArrayList<>();
        RelayAcquisition acquisition = nodes.closeLater(RelayAcquisition.start(target, List.of(relay), QUICK,
                published::add));
        await(() -> acquisition.state() == AcquisitionState.HOLDING, "the relay is held");
        assertEquals(Optional.of(relay), acquisition.ticket().relay(), "the ticket carries the held relay");
        assertEquals(NodeAddresses.Kind.RELAY, acquisition.addresses().entries().getFirst().kind());

        RelayClient dialer = nodes.client(nodes.node());
        byte[] data = RelayTestNodes.markedPlaintext(1 << 20);
        PeerSession before = dialer.connectViaRelay(relayOnly(acquisition.ticket()));
        assertArrayEquals(Blake3.hash(data), RelayTestNodes.sendForHash(before, data));

        first.close();
        await(() -> published.stream().anyMatch(set -> set.relay().isEmpty()),
                "the address set is republished without the relay");
        assertTrue(acquisition.ticket().relay().isEmpty() || acquisition.state() == AcquisitionState.HOLDING);

        RelayServer second = nodes.relay(RelayServer.builder().identity(relayIdentity)
                .bindAddress(InetAddress.getLoopbackAddress(), relay.address().getPort()));
        await(() -> second.reservationCount() == 1 && acquisition.state() == AcquisitionState.HOLDING,
                "the node holds a slot at the restarted relay");
        assertEquals(Optional.of(relay), published.getLast().relay(), "the last set names the relay again");

        PeerSession after = dialer.connectViaRelay(relayOnly(acquisition.ticket()));
        byte[] more = RelayTestNodes.markedPlaintext(1 << 20);
        assertArrayEquals(Blake3.hash(more), RelayTestNodes.sendForHash(after, more));
        assertEquals(1, second.circuitCount());
    }

    /** The ticket without its direct addresses, so the dial must go through the relay. */
    private static Ticket relayOnly(Ticket ticket) {
        return Ticket.of(ticket.nodeId(), List.of(), ticket.relay(), Optional.empty());
    }
}
