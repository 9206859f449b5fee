package dev.quiver.transport.identity;

import dev.quiver.transport.NodeId;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

/**
 * A node's key pair, its node ID and the self-signed certificate that presents the key in TLS. Immutable.
 * Load a persistent one with {@link IdentityStore}; {@link #generate} makes a throwaway one (tests, benchmarks).
 */
public final class NodeIdentity {
    private final KeyType keyType;
    private final KeyPair keyPair;
    private final NodeId nodeId;
    private final X509Certificate certificate;

    NodeIdentity(KeyType keyType, KeyPair keyPair) {
        this.keyType = keyType;
        this.keyPair = keyPair;
        this.nodeId = NodeIds.fromPublicKey(keyPair.getPublic());
        this.certificate = SelfSignedCertificates.create(keyPair, keyType, nodeId);
    }

    /** A fresh, unsaved identity of {@code type}. */
    public static NodeIdentity generate(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm());
            if (type == KeyType.ECDSA_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return new NodeIdentity(type, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + type + " keys", e);
        }
    }

    /** The node ID derived from the public key. */
    public NodeId nodeId() {
        return nodeId;
    }

    /** The key type. */
    public KeyType keyType() {
        return keyType;
    }

    /** The private key (for the TLS key manager only). */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The self-signed certificate presenting the public key. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + keyType + " " + nodeId + "]";
    }
}
