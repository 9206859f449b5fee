package dev.quiver.transport.relay;

import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers with open sessions hear of a node's new address set on the control stream (issue 7, item 4), and a relayed
 * session probes a direct address it learns that way.
 */
class AddressUpdateIT {
    private static final AcquisitionPolicy QUICK = new AcquisitionPolicy(Duration.ofMillis(500),
            Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(1));

    @Test
    @Timeout(30)
    void aPeerWithAnOpenSessionHearsTheRelayGoAndComeBackAndNewTicketsCarryIt() throws Exception {
        try (RelayTestNodes nodes = new RelayTestNodes()) {
            NodeIdentity relayIdentity = NodeIdentity.generate(KeyType.ED25519);
            RelayServer first = RelayServer.builder().identity(relayIdentity).quicConfig(RelayTestNodes.QUIC).build();
            RelayAddress relay = first.relayAddress();
            RelayClient target = nodes.hashingTarget();
            RelayAcquisition acquisition = nodes.closeLater(RelayAcquisition.start(target, List.of(relay), QUICK,
                    set -> { }));
            UpgradeTransfer.await(() -> acquisition.state() == AcquisitionState.HOLDING, 15_000, "the relay held");

            PeerSession session = nodes.node().connect(target.node().ticket());
            List<NodeAddresses> heard = new CopyOnWriteArrayList<>();
            session.onPeerAddresses(entries -> heard.add(NodeAddresses.fromUpdate(entries)));

            first.close();
            UpgradeTransfer.await(() -> heard.stream().anyMatch(set -> set.relay().isEmpty()), 15_000,
                    "an update without the lost relay");
            NodeAddresses without = heard.stream().filter(set -> set.relay().isEmpty()).findFirst().orElseThrow();
            assertEquals(target.node().ticket().directAddresses(), without.unverified(),
                    "the update keeps the node's direct addresses");

            RelayServer second = nodes.relay(RelayServer.builder().identity(relayIdentity)
                    .bindAddress(InetAddress.getLoopbackAddress(), relay.address().getPort()));
            UpgradeTransfer.await(() -> second.reservationCount() == 1
                    && heard.stream().anyMatch(set -> set.relay().equals(Optional.of(relay))), 15_000,
                    "an update naming the reacquired relay");
            assertEquals(Optional.of(relay), acquisition.ticket().relay(), "tickets made now carry the relay");
            assertEquals(AddressUpdate.Kind.RELAY, acquisition.addresses().toUpdate().getFirst().kind(),
                    "the relay comes first in the published set");
        }
    }

    @Test
    @Timeout(30)
    void aRelayedSessionProbesADirectAddressItLearnsFromAnUpdate() throws Exception {
        try (RelayTestNodes nodes = new RelayTestNodes()) {
            RelayServer relay = nodes.relay();
            RelayClient target = nodes.hashingTarget();
            target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
            RelayClient dialer = nodes.client(nodes.node());
            // A ticket without direct addresses: the session starts relayed and has nothing to probe.
            Ticket relayOnly = Ticket.of(target.node().nodeId(), List.of(), Optional.of(relay.relayAddress()),
                    Optional.empty());
            PeerSession session = dialer.connectViaRelay(relayOnly);
            Thread.sleep(300);
            assertEquals(0, dialer.directUpgrades(session));

            InetSocketAddress direct = target.node().localAddress();
            target.announce(new NodeAddresses(Optional.of(relay.relayAddress()), List.of(direct), List.of()));
            UpgradeTransfer.await(() -> dialer.directUpgrades(session) > 0, 15_000,
                    "the announced direct address to join the session");
            assertTrue(UpgradeTransfer.directPaths(session, dialer).stream()
                    .anyMatch(p -> p.remoteAddress().equals(direct)), "a direct path to the announced address");
        }
    }
}
