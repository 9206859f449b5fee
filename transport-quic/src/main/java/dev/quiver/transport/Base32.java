package dev.quiver.transport;

import java.util.Arrays;

/**
 * RFC 4648 §6 base32 in lowercase, without padding: the printable form of node IDs and tickets. Lowercase and
 * no {@code =} keep the text copy-paste safe (double-click selects it whole, shells and URLs leave it alone).
 * Stateless.
 */
final class Base32 {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
            VALUES[Character.toUpperCase(ALPHABET[i])] = (byte) i;
        }
    }

    private Base32() {
    }

    /** The number of characters {@link #encode} produces for {@code byteCount} bytes. */
    static int encodedLength(int byteCount) {
        return (byteCount * 8 + 4) / 5;
    }

    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(encodedLength(bytes.length));
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /**
     * Decodes {@code text} (either case). Returns {@code null} if a character is outside the alphabet or the
     * length or trailing bits are not what {@link #encode} would produce, so callers can raise their own typed
     * error.
     */
    static byte[] decode(CharSequence text) {
        int length = text.length();
        int byteCount = length * 5 / 8;
        if (encodedLength(byteCount) != length) {
            return null;
        }
        byte[] out = new byte[byteCount];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) {
                return null;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[index++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        // Canonical form only: the unused low bits of the last character must be zero.
        if ((buffer & ((1 << bits) - 1)) != 0) {
            return null;
        }
        return out;
    }
}
