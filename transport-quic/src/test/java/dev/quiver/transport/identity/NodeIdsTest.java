package dev.quiver.transport.identity;

import io.netty.handler.ssl.util.LazyX509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Field;
import java.security.cert.CertificateException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class NodeIdsTest {

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void aCertificatesEncodingNamesTheSameNodeIdAsItsKey(KeyType type) throws Exception {
        NodeIdentity identity = NodeIdentity.generate(type);
        assertEquals(identity.nodeId(), NodeIds.fromCertificate(identity.certificate()));
        assertEquals(NodeIds.fromPublicKey(identity.certificate().getPublicKey()),
                NodeIds.fromCertificate(identity.certificate()));
    }

    /**
     * Netty keeps a connection's peer certificates as lazy certificates for the connection's life: reading the
     * node ID must leave them unparsed (a parsed one holds about 1.5 KiB of heap, per connection).
     */
    @Test
    void readingTheNodeIdLeavesALazyCertificateUnparsed() throws Exception {
        NodeIdentity identity = NodeIdentity.generate(KeyType.ED25519);
        LazyX509Certificate lazy = new LazyX509Certificate(identity.certificate().getEncoded());
        Field wrapped = LazyX509Certificate.class.getDeclaredField("wrapped");
        wrapped.setAccessible(true);
        assertEquals(identity.nodeId(), NodeIds.fromCertificate(lazy));
        assertNull(wrapped.get(lazy), "the node ID was read by parsing the certificate object");
        lazy.getPublicKey();
        assertNotNull(wrapped.get(lazy), "asking for the key parses it (and keeps it): what the check avoids");
    }

    @Test
    void garbageIsACertificateException() {
        assertThrows(CertificateException.class,
                () -> NodeIds.fromCertificate(new LazyX509Certificate(new byte[] {0x30, 0x03, 1, 2, 3})));
        assertThrows(CertificateException.class,
                () -> NodeIds.fromCertificate(new LazyX509Certificate(new byte[] {1, 2, 3})));
    }
}
