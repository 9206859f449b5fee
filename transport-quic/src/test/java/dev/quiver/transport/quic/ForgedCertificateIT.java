package dev.quiver.transport.quic;

import dev.quiver.transport.DialException;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.BoringSSLContextOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The strongest stolen-ticket attacker: it knows the victim's node ID and also replays the victim's (public)
 * certificate, so the node ID check passes, but it can only sign TLS 1.3's CertificateVerify with its own key.
 * Built on raw Netty so the attacker is free to misconfigure itself. (Observed: BoringSSL already refuses on the
 * attacker's side with {@code KEY_VALUES_MISMATCH}; a patched stack would fail the dialer's CertificateVerify
 * check instead. Either way the dial fails and nothing is established.)
 */
@Timeout(30)
class ForgedCertificateIT {
    @Test
    void replayedCertificateWithoutItsKeyFailsTheHandshake() throws Exception {
        NodeIdentity victim = NodeIdentity.generate(KeyType.ED25519);
        NodeIdentity attacker = NodeIdentity.generate(KeyType.ED25519);
        QuicSslContext forged = QuicSslContextBuilder.forServer(new Mismatched(victim.certificate(),
                        attacker.privateKey()), null)
                .clientAuth(ClientAuth.NONE)
                .applicationProtocols(QuicTls.ALPN)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, new String[] {"ed25519"})
                .build();
        AtomicInteger established = new AtomicInteger();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        QuicConfig config = QuicConfig.builder().idleTimeout(Duration.ofSeconds(5))
                .keepAliveInterval(Duration.ZERO).build();
        try (QuicEndpoint client = QuicEndpoint.builder(NodeIdentity.generate(KeyType.ED25519), config).bind()) {
            Channel server = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new QuicServerCodecBuilder().sslContext(forged)
                            .tokenHandler(NoRetryTokenHandler.INSTANCE)
                            .maxIdleTimeout(5, TimeUnit.SECONDS)
                            .initialMaxData(1 << 20).initialMaxStreamsBidirectional(10)
                            .handler(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    established.incrementAndGet();
                                }
                            }).build())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> client
                        .dial(victim.nodeId(), (InetSocketAddress) server.localAddress()).get(15, TimeUnit.SECONDS));
                assertInstanceOf(DialException.class, failure.getCause());
                assertEquals(0, established.get(), "the attacker must never hold an established connection");
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Offers the victim's certificate with the attacker's private key. */
    private static final class Mismatched extends X509ExtendedKeyManager {
        private final X509Certificate certificate;
        private final PrivateKey key;

        Mismatched(X509Certificate certificate, PrivateKey key) {
            this.certificate = certificate;
            this.key = key;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return "forged";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"forged"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "forged";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
