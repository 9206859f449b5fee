package dev.quiver.transport.relay;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.DialException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.testing.NetLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes in their own network namespaces that can each reach only the relay's namespace (it does not forward),
 * so the only way between them is a relayed circuit.
 * <pre>
 *   [a] 10.62.1.1 ---- 10.62.1.2 [relay 10.62.0.1 on lo] 10.62.2.2 ---- 10.62.2.1 [b]
 * </pre>
 * a and b each have a host route to the relay's address 10.62.0.1 only, and ip_forward is off in the relay's
 * namespace. The relay binds that one address, so its replies leave from the address the nodes dialed (a wildcard
 * bind on a two-legged host would answer b from 10.62.2.2, which QUIC rejects as another peer).
 */
class RelayNamespaceIT {
    private static final String RELAY_IP = "10.62.0.1";

    @Test
    @Timeout(30)
    void nodesThatCannotReachEachOtherTransferAFileThroughTheRelay() throws Exception {
        try (NetLab lab = NetLab.create(); RelayTestNodes nodes = new RelayTestNodes()) {
            NetLab.Namespace a = lab.namespace("relay-a");
            NetLab.Namespace r = lab.namespace("relay-r");
            NetLab.Namespace b = lab.namespace("relay-b");
            NetLab.Link ar = lab.link(a, "10.62.1.1/24", r, "10.62.1.2/24");
            NetLab.Link br = lab.link(b, "10.62.2.1/24", r, "10.62.2.2/24");
            r.ip("addr", "add", RELAY_IP + "/32", "dev", "lo");
            a.ip("route", "add", RELAY_IP + "/32", "via", ar.addressB().getHostAddress());
            b.ip("route", "add", RELAY_IP + "/32", "via", br.addressB().getHostAddress());

            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int[] largestPacket = new int[1];
            RelayServer relay = nodes.closeLater(r.call(() -> RelayServer.builder()
                    .bindAddress(new InetSocketAddress(InetAddress.getByName(RELAY_IP), 0))
                    .quicConfig(RelayTestNodes.QUIC)
                    .observer((from, to, bytes, offset, length) -> {
                        synchronized (captured) {
                            captured.write(bytes, offset, length);
                            largestPacket[0] = Math.max(largestPacket[0], length);
                        }
                    }).build()));
            RelayAddress relayAddress = relay.relayAddress();

            RelayClient target = a.call(() -> {
                QuiverNode node = nodes.node(QuiverNode.builder().quicConfig(RelayTestNodes.QUIC)
                        .bindAddress(new InetSocketAddress(ar.addressA(), 0)));
                node.handle(StreamKind.BLOB, (session, stream) -> stream.outputStream().write(
                        Blake3.hash(stream.inputStream().readAllBytes())));
                RelayClient client = nodes.client(node);
                client.reserve(relayAddress, Duration.ofMinutes(1));
                return client;
            });
            Ticket ticket = target.ticket();
            assertEquals(List.of(new InetSocketAddress(ar.addressA(), target.node().localAddress().getPort())),
                    ticket.directAddresses());
            assertEquals(Optional.of(relayAddress), ticket.relay());

            RelayClient dialer = b.call(() -> nodes.client(nodes.node(QuiverNode.builder()
                    .quicConfig(RelayTestNodes.QUIC).bindAddress(new InetSocketAddress(br.addressA(), 0)))));
            // Meanwhile (it takes the idle timeout), prove that b has no direct way to a.
            CompletableFuture<Throwable> direct = CompletableFuture.supplyAsync(() -> {
                try {
                    b.call(() -> dialer.node().connect(Ticket.of(ticket.nodeId(), ticket.directAddresses())));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });

            byte[] file = RelayTestNodes.markedPlaintext(4 << 20);
            PeerSession session = b.call(() -> dialer.connectViaRelay(ticket));
            assertEquals(target.node().nodeId(), session.peer());
            assertArrayEquals(Blake3.hash(file), RelayTestNodes.sendForHash(session, file));
            assertEquals(1, relay.circuitCount());
            synchronized (captured) {
                byte[] seen = captured.toByteArray();
                assertTrue(seen.length > file.length, "the relay forwarded " + seen.length + " bytes");
                assertFalse(RelayTestNodes.contains(seen, seen.length, RelayTestNodes.MARKER),
                        "the relay's forwarded bytes contain the plaintext");
                // The nodes reach the relay over 1500-byte links, not loopback: the inner packets are sized for a
                // path of unknown MTU (plus the 16-byte token), not loopback-sized (up to 16383) and fragmented.
                assertTrue(largestPacket[0] <= RelayTestNodes.QUIC.udpPayloadBytes(), "the largest inner packet "
                        + largestPacket[0] + " exceeds " + RelayTestNodes.QUIC.udpPayloadBytes() + " bytes");
            }
            assertInstanceOf(DialException.class, direct.get(15, TimeUnit.SECONDS), "b must not reach a directly");
        }
    }
}
