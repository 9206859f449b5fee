package dev.quiver.transport;

import dev.quiver.transport.testing.HashedTransfer;
import dev.quiver.transport.testing.NetLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Break before make: the only path's link dies mid-transfer before the client did anything about the other one.
 * Client and server namespaces are joined by links A and B; the server's address sits on its loopback, routed over
 * A (preferred) or B; the client binds the wildcard address, so once A is down its packets leave over B. Whatever
 * the old QUIC connection does next (quiche re-sends what it had in flight on A only towards A), the session hears
 * nothing on its only path, dials again within about a second and resumes over B: the transfer pauses, completes
 * verified on the same session, and the pause is far shorter than QUIC's idle timeout.
 */
class LinkLossResumptionIT {
    private static final long TRANSFER_BYTES = 8L << 20;
    /** Idle timeout of the QUIC connections: what recovery would take without the session's own detection. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);
    /** Bound on the time from link down to the verified end of the transfer. */
    private static final long MAX_RECOVERY_NS = 10_000_000_000L;

    @Test
    @Timeout(45)
    void onlyLinkDiesMidTransferAndTheSessionResumesOverTheOtherWithinSeconds() throws Exception {
        String namesBefore;
        try (NetLab lab = NetLab.create()) {
            NetLab.Namespace clientNs = lab.namespace("client");
            NetLab.Namespace serverNs = lab.namespace("server");
            NetLab.TwoLinks links = lab.twoLinks(clientNs, serverNs, "10.62");
            NetLab.Link a = links.a();
            NetLab.Link b = links.b();
            InetAddress serverIp = links.serverIp();
            namesBefore = lab.toString();

            QuicConfig config = QuicConfig.builder().idleTimeout(IDLE_TIMEOUT)
                    .keepAliveInterval(Duration.ofSeconds(2)).udpPayloadBytes(1472).loopbackUdpPayloadBytes(1472)
                    .build();
            try (QuiverNode server = serverNs.call(() -> QuiverNode.builder().quicConfig(config)
                         .bindAddress(new InetSocketAddress(serverIp, 0)).build());
                 QuiverNode client = clientNs.call(() -> QuiverNode.builder().quicConfig(config)
                         .bindAddress(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)).build())) {
                HashedTransfer.serve(server);
                PeerSession session = clientNs.call(() -> client.connect(server.ticket()));

                AtomicLong downAtNs = new AtomicLong();
                HashedTransfer.Result result = HashedTransfer.send(session, TRANSFER_BYTES, 3, written -> {
                    if (downAtNs.get() == 0 && written >= TRANSFER_BYTES * 4 / 10) {
                        try {
                            a.down();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        downAtNs.set(System.nanoTime());
                    }
                });
                long recoveryNs = System.nanoTime() - downAtNs.get();

                assertTrue(downAtNs.get() != 0, "link A went down mid-transfer");
                assertTrue(result.verified(), "receiver's BLAKE3 equals the sender's");
                assertTrue(recoveryNs < MAX_RECOVERY_NS, "from link down to the verified end took "
                        + recoveryNs / 1_000_000 + " ms; QUIC's idle timeout is " + IDLE_TIMEOUT.toMillis() + " ms");
                assertEquals(1, client.sessions().size());
                assertSame(session, client.sessions().getFirst(), "the same session: paused, never restarted");
                assertEquals(1, server.sessions().size());
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        assertTrue(NetLab.listNamespaces().stream().noneMatch(n -> n.startsWith(NetLab.namePrefix())),
                "nothing left behind after " + namesBefore);
    }
}
