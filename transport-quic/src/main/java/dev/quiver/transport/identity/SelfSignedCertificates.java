package dev.quiver.transport.identity;

import dev.quiver.transport.NodeId;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Makes the self-signed certificate that carries a node's public key into TLS 1.3. The certificate is only a
 * container: peers trust the key by its node ID, never the certificate's names, dates or issuer, so it is
 * regenerated on every start rather than stored. Stateless.
 */
final class SelfSignedCertificates {
    // Long enough that no TLS stack rejects it as expired in practice; peers ignore the dates anyway.
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Duration BACKDATE = Duration.ofDays(1);

    private SelfSignedCertificates() {
    }

    static X509Certificate create(KeyPair keys, KeyType type, NodeId nodeId) {
        X500Name name = new X500Name("CN=" + nodeId);
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, new SecureRandom());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
        try {
            ContentSigner signer = new JcaContentSignerBuilder(type.signatureAlgorithm()).build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot self-sign a " + type + " certificate", e);
        }
    }
}
