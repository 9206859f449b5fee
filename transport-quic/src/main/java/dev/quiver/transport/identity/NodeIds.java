package dev.quiver.transport.identity;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.transport.NodeId;

import org.bouncycastle.asn1.ASN1Encoding;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The one place that turns a public key into a {@link NodeId}. Stateless.
 *
 * <ul>
 *   <li>Ed25519: the raw 32-byte public key (RFC 8032 §5.1.5), so the node ID <em>is</em> the key.</li>
 *   <li>Any other key type: BLAKE3 (32 bytes) of the DER SubjectPublicKeyInfo, which names the algorithm and the
 *       curve, so keys of different types can never share an ID.</li>
 * </ul>
 */
public final class NodeIds {
    // SubjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private NodeIds() {
    }

    /** The node ID of {@code key}. */
    public static NodeId fromPublicKey(PublicKey key) {
        return fromSpki(key.getEncoded());
    }

    /**
     * The node ID of the key in {@code certificate}, read from its DER encoding (its SubjectPublicKeyInfo, the same
     * bytes {@link PublicKey#getEncoded()} gives), without asking the certificate for its key. Asking would parse it
     * through the JDK's {@code CertificateFactory}, which keeps parsed certificates in a cache of 750, and Netty's
     * lazy peer certificates keep their parsed form for the connection's life: about 1.5 KiB of heap per connection
     * for one key a relay with 1 000 reservations never needs again.
     *
     * @throws CertificateException if the encoding is not an X.509 certificate
     */
    public static NodeId fromCertificate(Certificate certificate) throws CertificateException {
        byte[] spki;
        try {
            spki = org.bouncycastle.asn1.x509.Certificate.getInstance(certificate.getEncoded())
                    .getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
        } catch (IOException | IllegalArgumentException e) {
            throw new CertificateException("the peer's certificate is not a DER X.509 certificate", e);
        }
        return fromSpki(spki);
    }

    private static NodeId fromSpki(byte[] spki) {
        if (spki.length == ED25519_SPKI_PREFIX.length + NodeId.LENGTH_BYTES
                && Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                ED25519_SPKI_PREFIX.length)) {
            return NodeId.of(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length));
        }
        return NodeId.of(hashSpki(spki));
    }

    /** BLAKE3-256 of the SubjectPublicKeyInfo: the node ID of every key type other than Ed25519. */
    private static byte[] hashSpki(byte[] spki) {
        return Blake3.hash(spki);
    }
}
