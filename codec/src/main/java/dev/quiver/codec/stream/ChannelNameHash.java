package dev.quiver.codec.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 48-bit hash that names a channel stream. Today: the first 6 bytes (big-endian) of
 * SHA-256({@code "quiver/channel/v1"} || 0x00 || UTF-8(name)). SHA-256 is in every JDK and stable across
 * versions; the domain prefix keeps these values apart from any other SHA-256 use. This is the one place to
 * switch to BLAKE3 derive-key once {@code dev.quiver.codec.blake3.Blake3} lands; switching changes every channel
 * ID, so it must happen before the first release.
 */
final class ChannelNameHash {

    private static final byte[] DOMAIN = "quiver/channel/v1\0".getBytes(StandardCharsets.US_ASCII);

    private ChannelNameHash() {
    }

    /** The low-48-bit hash of {@code name}. */
    static long hash48(String name) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (MessageDigest Javadoc), so this is a broken JDK.
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
        sha256.update(DOMAIN);
        byte[] digest = sha256.digest(name.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 6; i++) {
            h = (h << 8) | (digest[i] & 0xFF);
        }
        return h;
    }
}
