package dev.quiver.transport;

import dev.quiver.transport.quic.Impairment;
import dev.quiver.transport.quic.ImpairmentPlan;
import dev.quiver.transport.testing.Closer;
import dev.quiver.transport.testing.HashedTransfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real QUIC over loopback through the in-process impairment layer: lossy, reordering, yet verified. */
class ImpairmentIT {
    // 4 MiB: 8 MiB took 20 s on the shared, overloaded 2-core machine.
    private static final long TRANSFER_BYTES = 4L << 20;

    @RegisterExtension
    final Closer toClose = new Closer();

    private QuiverNode node(ImpairmentPlan plan) throws IOException {
        QuiverNode.Builder builder = QuiverNode.builder().quicConfig(QuicConfig.builder()
                .idleTimeout(Duration.ofSeconds(10)).keepAliveInterval(Duration.ofSeconds(2)).build());
        if (plan != null) {
            builder.impairments(plan);
        }
        QuiverNode node = builder.build();
        toClose.add(node);
        return node;
    }

    @Test
    @Timeout(30)
    void transferCompletesUnderTwoPercentLossAndReorderingBothWays() throws Exception {
        QuiverNode server = node(null);
        HashedTransfer.serve(server);
        // Only packets to and from the server's port: every packet of the connection, both directions.
        ImpairmentPlan plan = ImpairmentPlan.seeded(2026).add(ImpairmentPlan.Match.remote(server.localAddress()),
                Impairment.loss(0.02).withReorder(0.02, Duration.ofMillis(3)));
        QuiverNode client = node(plan);
        PeerSession session = client.connect(server.ticket());

        HashedTransfer.Result result = HashedTransfer.send(session, TRANSFER_BYTES, 3, written -> { });

        assertTrue(result.verified(), "receiver's BLAKE3 equals the sender's");
        ImpairmentPlan.Stats stats = plan.stats();
        assertTrue(stats.packets() > 300, stats.toString());
        double dropRatio = (double) stats.dropped() / stats.packets();
        assertTrue(dropRatio > 0.01 && dropRatio < 0.03, "about 2 % dropped: " + stats);
        assertTrue(stats.reordered() > 0 && stats.delayed() >= stats.reordered(), stats.toString());
        ConnectionStats quic = session.stats().paths().getFirst();
        assertTrue(quic.lostPackets() > 0, "quiche saw the losses and retransmitted: " + quic);
        assertEquals(1, client.sessions().size());
    }
}
