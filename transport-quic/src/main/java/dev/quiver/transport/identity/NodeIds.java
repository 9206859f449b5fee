package dev.quiver.transport.identity;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.transport.NodeId;

import java.security.PublicKey;
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
        byte[] spki = key.getEncoded();
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
