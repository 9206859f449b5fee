package dev.quiver.transport.identity;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trust decisions alone, with real certificates and JDK engines as registration keys. */
@Timeout(10)
class PinnedPeerTrustTest {
    private final NodeIdentity server = NodeIdentity.generate(KeyType.ED25519);
    private final NodeIdentity other = NodeIdentity.generate(KeyType.ED25519);

    private static SSLEngine engine() throws Exception {
        return SSLContext.getDefault().createSSLEngine();
    }

    @Test
    void acceptsExactlyThePinnedServer() throws Exception {
        PinnedPeerTrust trust = new PinnedPeerTrust(id -> true);
        SSLEngine engine = engine();
        trust.expect(engine, server.nodeId());
        assertDoesNotThrow(() -> trust.trustManager().checkServerTrusted(
                new X509Certificate[] {server.certificate()}, "UNKNOWN", engine));

        PeerIdentityMismatchException e = assertThrows(PeerIdentityMismatchException.class,
                () -> trust.trustManager().checkServerTrusted(new X509Certificate[] {other.certificate()},
                        "UNKNOWN", engine));
        assertEquals(server.nodeId(), e.expected());
        assertEquals(other.nodeId(), e.presented());
        assertSame(e, trust.failure(engine).orElseThrow(), "the dialer must be able to report the typed failure");
        trust.forget(engine);
        assertTrue(trust.failure(engine).isEmpty());
    }

    @Test
    void refusesUnpinnedEnginesAndOddChains() throws Exception {
        PinnedPeerTrust trust = new PinnedPeerTrust(id -> true);
        SSLEngine unpinned = engine();
        assertThrows(CertificateException.class, () -> trust.trustManager().checkServerTrusted(
                new X509Certificate[] {server.certificate()}, "UNKNOWN", unpinned));

        SSLEngine pinned = engine();
        trust.expect(pinned, server.nodeId());
        assertThrows(CertificateException.class, () -> trust.trustManager().checkServerTrusted(
                new X509Certificate[] {server.certificate(), other.certificate()}, "UNKNOWN", pinned));
        assertThrows(CertificateException.class, () -> trust.trustManager().checkServerTrusted(
                new X509Certificate[0], "UNKNOWN", pinned));
        assertEquals(0, trust.trustManager().getAcceptedIssuers().length, "no CA is advertised");
    }

    @Test
    void clientsAreCheckedAgainstThePolicy() throws Exception {
        NodeId allowed = server.nodeId();
        PinnedPeerTrust trust = new PinnedPeerTrust(allowed::equals);
        SSLEngine engine = engine();
        assertDoesNotThrow(() -> trust.trustManager().checkClientTrusted(
                new X509Certificate[] {server.certificate()}, "UNKNOWN", engine));
        assertThrows(CertificateException.class, () -> trust.trustManager().checkClientTrusted(
                new X509Certificate[] {other.certificate()}, "UNKNOWN", engine));
    }

    @Test
    void ecdsaNodeIdIsBlake3OfTheSubjectPublicKeyInfo() {
        NodeIdentity ec = NodeIdentity.generate(KeyType.ECDSA_P256);
        assertEquals(ec.nodeId(), NodeIds.fromPublicKey(ec.certificate().getPublicKey()));
        assertArrayEquals(Blake3.hash(ec.certificate().getPublicKey().getEncoded()), ec.nodeId().toBytes());
    }
}
