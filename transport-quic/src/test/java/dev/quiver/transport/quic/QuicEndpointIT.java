package dev.quiver.transport.quic;

import dev.quiver.transport.CongestionControl;
import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.DialException;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.testing.Closer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real UDP on loopback: pinned handshakes, data integrity, impersonation attempts, key log. */
@Timeout(60)
class QuicEndpointIT {
    @RegisterExtension
    final Closer toClose = new Closer();

    private QuicEndpoint endpoint(NodeIdentity identity, QuicConfig config, ConnectionHandler handler)
            throws IOException {
        QuicEndpoint endpoint = QuicEndpoint.builder(identity, config).handler(handler).bind();
        toClose.add(endpoint);
        return endpoint;
    }

    private static QuicConfig config() {
        return QuicConfig.builder().idleTimeout(java.time.Duration.ofSeconds(10))
                .keepAliveInterval(java.time.Duration.ofSeconds(2)).build();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void pinnedHandshakeMovesBytesIntact(KeyType keyType) throws Exception {
        NodeIdentity serverId = NodeIdentity.generate(keyType);
        NodeIdentity clientId = NodeIdentity.generate(keyType);
        EchoPeers.EchoHandler echo = new EchoPeers.EchoHandler();
        QuicEndpoint server = endpoint(serverId, config(), echo);
        QuicEndpoint client = endpoint(clientId, config(), ConnectionHandler.REJECT_STREAMS);

        QuicConnection connection = client.dial(Ticket.parse(server.ticket().toString())).get(10, TimeUnit.SECONDS);
        assertEquals(serverId.nodeId(), connection.peer());

        byte[] payload = new byte[4 << 20];
        new Random(42).nextBytes(payload);
        EchoPeers.Collector collector = new EchoPeers.Collector(payload.length);
        QuicStreamChannel stream = connection.openStream(collector).get(5, TimeUnit.SECONDS);
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        byte[] echoed = collector.done.get(30, TimeUnit.SECONDS);
        assertArrayEquals(payload, echoed);

        // The server learned the client's node ID from its certificate.
        assertEquals(1, echo.accepted.size());
        assertEquals(clientId.nodeId(), echo.accepted.peek().peer());

        ConnectionStats stats = connection.stats().get(5, TimeUnit.SECONDS);
        assertEquals(payload.length, stats.streamBytesWritten());
        assertEquals(payload.length, stats.streamBytesRead());
        assertTrue(stats.sentBytes() > payload.length, "QUIC sent " + stats.sentBytes());
        assertTrue(stats.rttNs() > 0 && stats.cwndBytes() > 0, stats.toString());
        assertTrue(stats.averageGoodputBitsPerSecond() > 0, stats.toString());
        // A loopback dial advertises the loopback payload size, so the path runs above 1200 bytes.
        assertTrue(stats.pmtuBytes() > QuicConfig.MIN_UDP_PAYLOAD_BYTES, "pmtu " + stats.pmtuBytes());
    }

    @ParameterizedTest
    @CsvSource({"true, CUBIC", "true, BBR", "false, CUBIC", "false, RENO"})
    void everyTransportAndCongestionControllerCarriesLargePackets(boolean epoll, CongestionControl cc)
            throws Exception {
        QuicConfig config = config().toBuilder().preferEpoll(epoll).congestionControl(cc).build();
        QuicEndpoint server = endpoint(NodeIdentity.generate(KeyType.ED25519), config, new EchoPeers.EchoHandler());
        QuicEndpoint client = endpoint(NodeIdentity.generate(KeyType.ED25519), config,
                ConnectionHandler.REJECT_STREAMS);
        QuicConnection connection = client.dial(server.nodeId(), server.localAddress()).get(10, TimeUnit.SECONDS);
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        EchoPeers.Collector collector = new EchoPeers.Collector(payload.length);
        connection.openStream(collector).get(5, TimeUnit.SECONDS).writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertArrayEquals(payload, collector.done.get(30, TimeUnit.SECONDS));
        ConnectionStats stats = connection.stats().get(5, TimeUnit.SECONDS);
        assertEquals(config.loopbackUdpPayloadBytes(), stats.pmtuBytes(), stats.toString());
        assertEquals(epoll, client.transport().isEpoll());
    }

    @Test
    void wildcardListenerTicketListsReachableAddresses() throws Exception {
        QuicEndpoint server = QuicEndpoint.builder(NodeIdentity.generate(KeyType.ED25519), config())
                .bindAddress(new InetSocketAddress("0.0.0.0", 0)).handler(new EchoPeers.EchoHandler()).bind();
        toClose.add(server);
        Ticket ticket = server.ticket();
        assertEquals(server.nodeId(), ticket.nodeId());
        assertTrue(!ticket.directAddresses().isEmpty(), ticket.directAddresses().toString());
        assertTrue(ticket.directAddresses().stream().allMatch(a -> a.getPort() == server.localAddress().getPort()
                && !a.getAddress().isAnyLocalAddress()), ticket.directAddresses().toString());
        // A dial socket bound to the wildcard reaches the listener through the ticket's addresses.
        QuicEndpoint client = QuicEndpoint.builder(NodeIdentity.generate(KeyType.ED25519), config())
                .bindAddress(new InetSocketAddress("0.0.0.0", 0)).bind();
        toClose.add(client);
        assertEquals(server.nodeId(), client.dial(ticket).get(10, TimeUnit.SECONDS).peer());
    }

    @Test
    void wrongExpectedNodeIdFailsNamingBothIds() throws Exception {
        QuicEndpoint server = endpoint(NodeIdentity.generate(KeyType.ED25519), config(), new EchoPeers.EchoHandler());
        QuicEndpoint client = endpoint(NodeIdentity.generate(KeyType.ED25519), config(),
                ConnectionHandler.REJECT_STREAMS);
        NodeId wrong = NodeIdentity.generate(KeyType.ED25519).nodeId();

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.dial(wrong, server.localAddress()).get(10, TimeUnit.SECONDS));
        PeerIdentityMismatchException mismatch = assertInstanceOf(PeerIdentityMismatchException.class,
                failure.getCause());
        assertEquals(wrong, mismatch.expected());
        assertEquals(server.nodeId(), mismatch.presented());
        assertTrue(mismatch.getMessage().contains(wrong.toString()), mismatch.getMessage());
        assertTrue(mismatch.getMessage().contains(server.nodeId().toString()), mismatch.getMessage());
    }

    @Test
    void stolenTicketCannotImpersonate() throws Exception {
        NodeIdentity victim = NodeIdentity.generate(KeyType.ED25519);
        EchoPeers.EchoHandler attackerSeen = new EchoPeers.EchoHandler();
        // The attacker knows the victim's ticket (node ID) and listens where the dialer will go, with its own key.
        QuicEndpoint attacker = endpoint(NodeIdentity.generate(KeyType.ED25519), config(), attackerSeen);
        QuicEndpoint client = endpoint(NodeIdentity.generate(KeyType.ED25519), config(),
                ConnectionHandler.REJECT_STREAMS);
        Ticket stolen = Ticket.of(victim.nodeId(), List.of(attacker.localAddress()));

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.dial(Ticket.parse(stolen.toString())).get(10, TimeUnit.SECONDS));
        PeerIdentityMismatchException mismatch = assertInstanceOf(PeerIdentityMismatchException.class,
                failure.getCause());
        assertEquals(victim.nodeId(), mismatch.expected());
        assertEquals(attacker.nodeId(), mismatch.presented());
        assertTrue(attackerSeen.accepted.isEmpty(), "the attacker must not get an established connection");
    }

    @Test
    void keyLogFileIsWrittenWhenEnabled(@TempDir Path dir) throws Exception {
        Path keyLog = dir.resolve("keys.log");
        QuicEndpoint server = endpoint(NodeIdentity.generate(KeyType.ED25519), config(), new EchoPeers.EchoHandler());
        QuicEndpoint client = endpoint(NodeIdentity.generate(KeyType.ED25519),
                config().toBuilder().keyLogFile(keyLog).build(), ConnectionHandler.REJECT_STREAMS);
        client.dial(server.nodeId(), server.localAddress()).get(10, TimeUnit.SECONDS);

        List<String> lines = Files.readAllLines(keyLog);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("CLIENT_TRAFFIC_SECRET_0 ")), lines.toString());
        // NSS key log format: label, 32-byte client random and the secret, both in hex.
        assertTrue(lines.stream().allMatch(l -> l.matches("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+")), lines.toString());
    }

    @Test
    void listenerRefusesClientsOutsideItsPolicy() throws Exception {
        NodeIdentity allowed = NodeIdentity.generate(KeyType.ED25519);
        QuicEndpoint server = QuicEndpoint.builder(NodeIdentity.generate(KeyType.ED25519), config())
                .handler(new EchoPeers.EchoHandler()).acceptClients(allowed.nodeId()::equals).bind();
        toClose.add(server);
        QuicEndpoint stranger = endpoint(NodeIdentity.generate(KeyType.ED25519), config(),
                ConnectionHandler.REJECT_STREAMS);
        QuicEndpoint friend = endpoint(allowed, config(), ConnectionHandler.REJECT_STREAMS);

        QuicConnection ok = friend.dial(server.nodeId(), server.localAddress()).get(10, TimeUnit.SECONDS);
        assertEquals(server.nodeId(), ok.peer());
        // TLS 1.3 clients finish before the server checks their certificate, so the refusal may surface as a
        // failed dial or as the connection closing right after it.
        try {
            QuicConnection refused = stranger.dial(server.nodeId(), server.localAddress()).get(10, TimeUnit.SECONDS);
            refused.channel().closeFuture().await(10, TimeUnit.SECONDS);
            assertTrue(!refused.isActive(), "a refused client's connection must close");
        } catch (ExecutionException expected) {
            assertInstanceOf(DialException.class, expected.getCause());
        }
    }
}
