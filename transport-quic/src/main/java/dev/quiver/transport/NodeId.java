package dev.quiver.transport;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 32-byte identity of a Quiver node, derived from its long-lived public key (see
 * {@code dev.quiver.transport.identity.NodeIds}). Printed as 52 characters of lowercase base32 without padding.
 * Immutable.
 */
public final class NodeId {
    /** Length of a node ID in bytes. */
    public static final int LENGTH_BYTES = 32;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A node ID from its 32 raw bytes (copied). */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a node ID is " + LENGTH_BYTES + " bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /**
     * Parses the printed form ({@link #toString()}); upper case is accepted too.
     *
     * @throws IllegalArgumentException if {@code text} is not 52 base32 characters encoding 32 bytes
     */
    public static NodeId parse(String text) {
        byte[] decoded = Base32.decode(text.strip());
        if (decoded == null || decoded.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("not a node ID (expected " + Base32.encodedLength(LENGTH_BYTES)
                    + " base32 characters): '" + text + "'");
        }
        return new NodeId(decoded);
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The first 5 bytes in hex, for logs where the whole ID is too long. */
    public String shortString() {
        return HexFormat.of().formatHex(bytes, 0, 5);
    }

    @Override
    public boolean equals(Object other) {
        // Constant time: node IDs are compared while authenticating peers.
        return other instanceof NodeId id && MessageDigest.isEqual(bytes, id.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Lowercase base32 without padding, 52 characters. */
    @Override
    public String toString() {
        return Base32.encode(bytes);
    }
}
