package dev.quiver.transport.identity;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Trust by key, not by CA: a peer is accepted exactly when the node ID derived from the public key in its
 * (single, self-signed) certificate is the one expected. TLS 1.3's CertificateVerify (RFC 8446 §4.4.3) proves the
 * peer holds the matching private key, so a copied certificate or a stolen ticket gets nobody in; names, dates and
 * issuers are deliberately ignored (no CA, no trust on first use).
 *
 * <p>Dialers {@link #expect register} the node ID they pin for each TLS engine before the handshake; an engine
 * nobody registered is refused (fail closed). Acceptors check clients against {@code acceptClient} and learn their
 * node ID from the certificate afterwards. BoringSSL reduces a trust manager's exception to an alert code, so the
 * typed mismatch is also kept here for the dialer to report ({@link #failure}). Thread-safe: BoringSSL calls the
 * trust manager on the event loop, registrations come from dialers.
 */
public final class PinnedPeerTrust {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedPeerTrust.class);

    private final Map<SSLEngine, Expectation> expectations = new ConcurrentHashMap<>();
    private final Predicate<NodeId> acceptClient;
    private final X509ExtendedTrustManager trustManager = new Manager();

    /** A trust that accepts clients whose node ID passes {@code acceptClient}. */
    public PinnedPeerTrust(Predicate<NodeId> acceptClient) {
        this.acceptClient = acceptClient;
    }

    /** The trust manager to install in both the client and the server TLS context. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** Pins {@code expected} as the only server {@code engine} may accept. */
    public void expect(SSLEngine engine, NodeId expected) {
        expectations.put(engine, new Expectation(expected));
    }

    /** Why {@code engine}'s server was refused, if it was refused for presenting the wrong node ID. */
    public Optional<PeerIdentityMismatchException> failure(SSLEngine engine) {
        Expectation expectation = expectations.get(engine);
        return expectation == null ? Optional.empty() : Optional.ofNullable(expectation.failure);
    }

    /** Drops the registration once the dial has finished either way. */
    public void forget(SSLEngine engine) {
        expectations.remove(engine);
    }

    /** The node ID of the peer that {@code engine} authenticated during its handshake. */
    public static Optional<NodeId> peerOf(SSLEngine engine) {
        try {
            var certificates = engine.getSession().getPeerCertificates();
            // From the encoding: the session keeps these certificate objects as long as the connection lives.
            return certificates.length == 0 ? Optional.empty()
                    : Optional.of(NodeIds.fromCertificate(certificates[0]));
        } catch (javax.net.ssl.SSLPeerUnverifiedException | CertificateException e) {
            return Optional.empty();
        }
    }

    private static NodeId presented(X509Certificate[] chain) throws CertificateException {
        // Quiver peers send exactly their own self-signed certificate; anything else is not a Quiver peer.
        if (chain == null || chain.length != 1) {
            throw new CertificateException("expected exactly one self-signed certificate, got "
                    + (chain == null ? 0 : chain.length));
        }
        return NodeIds.fromCertificate(chain[0]);
    }

    private static final class Expectation {
        final NodeId expected;
        volatile PeerIdentityMismatchException failure;

        Expectation(NodeId expected) {
            this.expected = expected;
        }
    }

    private final class Manager extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            Expectation expectation = expectations.get(engine);
            if (expectation == null) {
                throw new CertificateException("no node ID was pinned for this connection; refusing the server");
            }
            NodeId actual = presented(chain);
            if (!actual.equals(expectation.expected)) {
                PeerIdentityMismatchException mismatch = new PeerIdentityMismatchException(expectation.expected,
                        actual);
                expectation.failure = mismatch;
                LOG.warn("Refused server: {}", mismatch.getMessage());
                throw mismatch;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            NodeId actual = presented(chain);
            if (!acceptClient.test(actual)) {
                LOG.info("Refused client node {}: not accepted by this node's policy", actual);
                throw new CertificateException("client node " + actual + " is not accepted by this node");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("Quiver authenticates peers only on QUIC TLS engines");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("Quiver authenticates peers only on QUIC TLS engines");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("Quiver authenticates peers only on QUIC TLS engines");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("Quiver authenticates peers only on QUIC TLS engines");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // No CA: nothing to advertise in CertificateRequest.certificate_authorities.
            return new X509Certificate[0];
        }
    }
}
