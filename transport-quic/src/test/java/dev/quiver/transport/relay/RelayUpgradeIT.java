package dev.quiver.transport.relay;

import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.quic.Impairment;
import dev.quiver.transport.quic.ImpairmentPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relayed sessions move to a direct path when one appears (issue 7, item 5), on loopback: the dialer's in-process
 * impairment layer drops every packet to and from the target's own address until the test lifts it, so at first
 * the only way is the relay; the relay's splice observer counts what it forwards.
 */
class RelayUpgradeIT {
    /** A relay, a paced target holding a slot there, and a dialer that cannot reach the target directly yet. */
    private record Setup(RelayServer relay, LongAdder forwarded, RelayClient target, RelayClient dialer,
                         ImpairmentPlan plan, Ticket ticket) {
    }

    private static Setup setUp(RelayTestNodes nodes) throws IOException {
        LongAdder forwarded = new LongAdder();
        RelayServer relay = nodes.relay(RelayServer.builder()
                .observer((from, to, bytes, offset, length) -> forwarded.add(length)));
        QuiverNode targetNode = nodes.node();
        UpgradeTransfer.serve(targetNode);
        RelayClient target = nodes.client(targetNode);
        target.reserve(relay.relayAddress(), Duration.ofMinutes(1));
        Ticket ticket = target.ticket();
        InetSocketAddress direct = targetNode.localAddress();
        assertEquals(java.util.List.of(direct), ticket.directAddresses());
        ImpairmentPlan plan = ImpairmentPlan.seeded(7).add(new ImpairmentPlan.Match(null, direct,
                ImpairmentPlan.Direction.BOTH), Impairment.loss(1.0));
        RelayClient dialer = nodes.client(nodes.node(QuiverNode.builder().quicConfig(RelayTestNodes.QUIC)
                .impairments(plan)));
        return new Setup(relay, forwarded, target, dialer, plan, ticket);
    }

    @Test
    @Timeout(40)
    void aRelayedTransferMovesToTheDirectPathWhenItAppearsAndTheRelayStopsCarryingData() throws Exception {
        try (RelayTestNodes nodes = new RelayTestNodes()) {
            Setup s = setUp(nodes);
            PeerSession session = s.dialer().connectViaRelay(s.ticket());
            assertTrue(s.dialer().isRelayed(session));
            UpgradeTransfer.Download download = UpgradeTransfer.start(session, 42);

            UpgradeTransfer.await(() -> received(session, s.dialer(), true) > (2L << 20), 20_000,
                    "2 MiB through the relay");
            assertTrue(UpgradeTransfer.directPaths(session, s.dialer()).isEmpty(), "no direct path while blocked");
            s.plan().clear();
            UpgradeTransfer.await(() -> s.dialer().directUpgrades(session) > 0, 15_000, "a direct path to join");
            // After the upgrade the relay stops carrying data: a window of 6 MiB over the direct path with at most
            // 256 KiB through the relay (what was in flight there when the peer heard "standby" ends the first).
            UpgradeTransfer.Window quiet = UpgradeTransfer.awaitQuietRelay(session, s.dialer(), s.forwarded()::sum,
                    6L << 20, 256 << 10, 25_000);
            download.stopAt = 0;

            UpgradeTransfer.Received got = download.result.get(10, TimeUnit.SECONDS);
            assertArrayEquals(UpgradeTransfer.expectedHash(got.bytes(), 42), got.hash(), "verified transfer of "
                    + got.bytes() + " bytes");
            // Probes and acknowledgements still cross the relay; data does not.
            assertTrue(quiet.forwardedBytes() <= 1L << 20, "the relay forwarded " + quiet.forwardedBytes()
                    + " bytes while the direct path carried " + quiet.directBytes());
            assertTrue(s.dialer().isRelayed(session), "the relayed path is kept as a backup");
            // Kept open as the backup, on standby (a loaded host may briefly see it stalled, never closed).
            assertTrue(standbyRelay(session, s.dialer()), "the relayed path is kept, on standby");
        }
    }

    @Test
    @Timeout(40)
    void whenTheDirectPathDiesTheTransferFallsBackToTheRelayAndCompletes() throws Exception {
        try (RelayTestNodes nodes = new RelayTestNodes()) {
            Setup s = setUp(nodes);
            s.plan().clear();
            PeerSession session = s.dialer().connectViaRelay(s.ticket());
            UpgradeTransfer.await(() -> s.dialer().directUpgrades(session) > 0, 15_000, "a direct path to join");
            UpgradeTransfer.await(() -> standbyRelay(session, s.dialer()), 5_000, "the relayed path on standby");
            UpgradeTransfer.Download download = UpgradeTransfer.start(session, 7);
            UpgradeTransfer.await(() -> received(session, s.dialer(), false) > (4L << 20), 20_000,
                    "4 MiB over the direct path");
            long relayedBefore = received(session, s.dialer(), true);
            // The direct way goes silent (as a pulled cable): the session stalls it and hands its data back.
            s.plan().add(new ImpairmentPlan.Match(null, s.target().node().localAddress(),
                    ImpairmentPlan.Direction.BOTH), Impairment.loss(1.0));
            UpgradeTransfer.await(() -> received(session, s.dialer(), true) - relayedBefore >= 4L << 20, 20_000,
                    "4 MiB through the relay after the direct path died");
            download.stopAt = 0;

            UpgradeTransfer.Received got = download.result.get(10, TimeUnit.SECONDS);
            assertArrayEquals(UpgradeTransfer.expectedHash(got.bytes(), 7), got.hash(), "verified transfer of "
                    + got.bytes() + " bytes");
        }
    }

    @Test
    @Timeout(40)
    void connectHedgesWithTheRelayAndTheSessionLaterUsesBothKindsOfPath() throws Exception {
        try (RelayTestNodes nodes = new RelayTestNodes()) {
            Setup s = setUp(nodes);
            long startNs = System.nanoTime();
            PeerSession session = s.dialer().connect(s.ticket());
            double seconds = (System.nanoTime() - startNs) / 1e9;
            assertTrue(s.dialer().isRelayed(session), "the silent direct address loses the race to the relay");
            // The direct handshake alone would wait for the idle timeout (4 s) before failing.
            assertTrue(seconds < 4, "connect took " + seconds + " s");
            UpgradeTransfer.Download download = UpgradeTransfer.start(session, 9);
            UpgradeTransfer.await(() -> received(session, s.dialer(), true) > (1L << 20), 20_000,
                    "1 MiB through the relay");
            s.plan().clear();
            UpgradeTransfer.await(() -> received(session, s.dialer(), false) > (1L << 20), 20_000,
                    "1 MiB over the direct path");
            download.stopAt = 0;
            UpgradeTransfer.Received got = download.result.get(10, TimeUnit.SECONDS);
            assertArrayEquals(UpgradeTransfer.expectedHash(got.bytes(), 9), got.hash());
            assertEquals(java.util.Set.of(PathKind.RELAYED, PathKind.DIRECT), session.paths().stream()
                    .filter(p -> p.bytesReceived() > 0).map(s.dialer()::kindOf)
                    .collect(java.util.stream.Collectors.toSet()), "both kinds of path carried the transfer");
        }
    }

    private static boolean standbyRelay(PeerSession session, RelayClient client) {
        try {
            for (PathStats p : session.paths()) {
                if (client.kindOf(p) == PathKind.RELAYED && p.state() != dev.quiver.transport.PathState.CLOSED
                        && session.isStandby(p.id())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long received(PeerSession session, RelayClient client, boolean relayed) {
        try {
            return UpgradeTransfer.received(session, client, relayed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
