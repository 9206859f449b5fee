package dev.quiver.codec.stream;

import dev.quiver.codec.blake3.Blake3;

import java.nio.charset.StandardCharsets;

/**
 * The 48-bit hash that names a channel stream: the first 6 bytes (read big-endian) of BLAKE3 derive-key with the
 * context {@value #CONTEXT} over the UTF-8 channel name (BLAKE3 spec §6.2; the hard-coded, dated context keeps
 * these values apart from every other BLAKE3 use). Changing it renames every channel, so it is pinned by a test.
 */
final class ChannelNameHash {

    /** The derive-key context string; never change it after release. */
    static final String CONTEXT = "quiver 2026-11-21 channel stream id";

    private ChannelNameHash() {
    }

    /** The low-48-bit hash of {@code name}. */
    static long hash48(String name) {
        byte[] h = Blake3.deriveKey(CONTEXT, name.getBytes(StandardCharsets.UTF_8), 6);
        long v = 0;
        for (byte b : h) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
