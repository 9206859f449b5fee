package dev.quiver.transport.quic;

import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.identity.NodeKeyManager;
import dev.quiver.transport.identity.PinnedPeerTrust;
import io.netty.handler.codec.quic.BoringSSLContextOption;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;

import java.util.Optional;

/**
 * Builds the BoringSSL contexts of a node: both sides present the node's self-signed certificate and both install
 * the {@link PinnedPeerTrust} manager; the server requires a client certificate, so each end learns the other's
 * node ID. Stateless.
 */
final class QuicTls {
    /** ALPN of Quiver's protocol; a peer speaking anything else fails the handshake (RFC 9001 §8.1). */
    static final String ALPN = "quiver/1";
    /**
     * TLS 1.3 signature schemes in preference order (BoringSSL names). BoringSSL leaves Ed25519 out of its default
     * verify list, so it must be named here for Ed25519 identities to work at all.
     */
    private static final String[] SIGNATURE_ALGORITHMS = {"ed25519", "ecdsa_secp256r1_sha256"};

    private QuicTls() {
    }

    static QuicSslContext server(NodeIdentity identity, PinnedPeerTrust trust, Optional<KeyLogFile> keyLog) {
        QuicSslContextBuilder builder = QuicSslContextBuilder
                .forServer(new NodeKeyManager(identity), null)
                .clientAuth(ClientAuth.REQUIRE);
        return common(builder, trust, keyLog).build();
    }

    static QuicSslContext client(NodeIdentity identity, PinnedPeerTrust trust, Optional<KeyLogFile> keyLog) {
        QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
                .keyManager(new NodeKeyManager(identity), null)
                // Peers are named by node ID, not host name; PinnedPeerTrust is the only check.
                .endpointIdentificationAlgorithm(null);
        return common(builder, trust, keyLog).build();
    }

    private static QuicSslContextBuilder common(QuicSslContextBuilder builder, PinnedPeerTrust trust,
                                                Optional<KeyLogFile> keyLog) {
        builder.trustManager(trust.trustManager())
                .applicationProtocols(ALPN)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS);
        keyLog.ifPresent(builder::keylog);
        return builder;
    }
}
