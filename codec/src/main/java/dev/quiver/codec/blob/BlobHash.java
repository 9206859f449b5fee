package dev.quiver.codec.blob;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 32-byte BLAKE3 hash that names a blob (its content address). Immutable: the bytes are copied in and out.
 *
 * @param bytes the 32 hash bytes
 */
public record BlobHash(byte[] bytes) {

    /** Hash length in bytes. */
    public static final int LENGTH = 32;

    /** Copies {@code bytes}, which must be 32 bytes. */
    public BlobHash {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a blob hash is " + LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A copy of the hash bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The hash from 64 lower-case or upper-case hex digits. */
    public static BlobHash fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a blob hash is " + 2 * LENGTH + " hex digits, not " + hex.length());
        }
        return new BlobHash(HexFormat.of().parseHex(hex));
    }

    /** 64 lower-case hex digits, also the file name in a blob store. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
