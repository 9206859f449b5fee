package dev.quiver.transport.relay;

import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.testing.NetLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relayed transfer between two namespaces moves to a direct link that comes up mid-transfer (issue 7, item 5).
 * <pre>
 *   [a] 10.64.1.1 ---- 10.64.1.2 [relay 10.64.0.1 on lo] 10.64.2.2 ---- 10.64.2.1 [b]
 *   [a] 10.64.3.1 ------------------ (down at first) ----------------- 10.64.3.2 [b]
 * </pre>
 * The direct link exists but is down, so b's direct address in the ticket is unreachable ("network unreachable")
 * and the session starts through the relay; the test brings the link up while bytes flow.
 */
class RelayUpgradeNamespaceIT {
    private static final String RELAY_IP = "10.64.0.1";

    @Test
    @Timeout(60)
    void aRelayedTransferMovesToADirectLinkThatComesUpMidTransfer() throws Exception {
        try (NetLab lab = NetLab.create(); RelayTestNodes nodes = new RelayTestNodes()) {
            NetLab.Namespace a = lab.namespace("upg-a");
            NetLab.Namespace r = lab.namespace("upg-r");
            NetLab.Namespace b = lab.namespace("upg-b");
            NetLab.Link ar = lab.link(a, "10.64.1.1/24", r, "10.64.1.2/24");
            NetLab.Link br = lab.link(b, "10.64.2.1/24", r, "10.64.2.2/24");
            NetLab.Link ab = lab.link(a, "10.64.3.1/24", b, "10.64.3.2/24");
            ab.down();
            r.ip("addr", "add", RELAY_IP + "/32", "dev", "lo");
            a.ip("route", "add", RELAY_IP + "/32", "via", ar.addressB().getHostAddress());
            b.ip("route", "add", RELAY_IP + "/32", "via", br.addressB().getHostAddress());

            LongAdder forwarded = new LongAdder();
            RelayServer relay = nodes.closeLater(r.call(() -> RelayServer.builder()
                    .bindAddress(new InetSocketAddress(InetAddress.getByName(RELAY_IP), 0))
                    .quicConfig(RelayTestNodes.QUIC)
                    .observer((from, to, bytes, offset, length) -> forwarded.add(length)).build()));
            RelayAddress relayAddress = relay.relayAddress();

            // Both nodes listen on every interface: each destination has one route, so the kernel answers from
            // the address the peer dialed.
            RelayClient target = b.call(() -> {
                QuiverNode node = nodes.node(QuiverNode.builder().quicConfig(RelayTestNodes.QUIC)
                        .bindAddress(new InetSocketAddress(0)));
                UpgradeTransfer.serve(node);
                RelayClient client = nodes.client(node);
                client.reserve(relayAddress, Duration.ofMinutes(1));
                return client;
            });
            InetSocketAddress direct = new InetSocketAddress(ab.addressB(), target.node().localAddress().getPort());
            Ticket ticket = Ticket.of(target.node().nodeId(), List.of(direct), Optional.of(relayAddress),
                    Optional.empty());
            RelayClient dialer = a.call(() -> nodes.client(nodes.node(QuiverNode.builder()
                    .quicConfig(RelayTestNodes.QUIC).bindAddress(new InetSocketAddress(0)))));

            PeerSession session = a.call(() -> dialer.connectViaRelay(ticket));
            UpgradeTransfer.Download download = UpgradeTransfer.start(session, 64);
            UpgradeTransfer.await(() -> received(session, dialer, true) > (2L << 20), 20_000,
                    "2 MiB through the relay");
            assertTrue(UpgradeTransfer.directPaths(session, dialer).isEmpty(), "no direct path while the link is down");
            assertEquals(0, dialer.directUpgrades(session));

            ab.up();
            UpgradeTransfer.await(() -> dialer.directUpgrades(session) > 0, 15_000, "a direct path to join");
            UpgradeTransfer.Window quiet = UpgradeTransfer.awaitQuietRelay(session, dialer, forwarded::sum,
                    6L << 20, 256 << 10, 25_000);
            download.stopAt = 0;

            UpgradeTransfer.Received got = download.result.get(10, TimeUnit.SECONDS);
            assertArrayEquals(UpgradeTransfer.expectedHash(got.bytes(), 64), got.hash(), "verified transfer of "
                    + got.bytes() + " bytes");
            assertTrue(quiet.forwardedBytes() <= 1L << 20, "the relay forwarded " + quiet.forwardedBytes()
                    + " bytes while the direct link carried " + quiet.directBytes());
            assertTrue(UpgradeTransfer.directPaths(session, dialer).stream()
                    .allMatch(p -> p.remoteAddress().equals(direct)), "the direct path goes to b's direct address");
        }
    }

    private static long received(PeerSession session, RelayClient client, boolean relayed) {
        try {
            return UpgradeTransfer.received(session, client, relayed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
