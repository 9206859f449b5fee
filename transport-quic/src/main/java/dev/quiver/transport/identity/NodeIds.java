package dev.quiver.transport.identity;

import dev.quiver.transport.NodeId;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The one place that turns a public key into a {@link NodeId}. Stateless.
 *
 * <ul>
 *   <li>Ed25519: the raw 32-byte public key (RFC 8032 §5.1.5), so the node ID <em>is</em> the key.</li>
 *   <li>Any other key type: a 32-byte hash of the DER SubjectPublicKeyInfo, which names the algorithm and the
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
        byte[] spki = key.getEncoded();
        if (spki.length == ED25519_SPKI_PREFIX.length + NodeId.LENGTH_BYTES
                && Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                ED25519_SPKI_PREFIX.length)) {
            return NodeId.of(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length));
        }
        return NodeId.of(hashSpki(spki));
    }

    /**
     * The 32-byte hash for non-Ed25519 keys. The design calls for BLAKE3 here; until codec's
     * {@code Blake3.hash} is merged this is SHA-256, which only ECDSA identities (not the default) use.
     */
    private static byte[] hashSpki(byte[] spki) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(spki);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
