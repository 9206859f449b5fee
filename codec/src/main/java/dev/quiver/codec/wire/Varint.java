package dev.quiver.codec.wire;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two top bits of the first byte give the length (1, 2, 4 or 8
 * bytes), the rest is the big-endian value, so values run from 0 to 2^62 - 1.
 *
 * <pre>
 * 2MSB  length  usable bits  range
 *  00     1         6        0 .. 63
 *  01     2        14        0 .. 16383
 *  10     4        30        0 .. 1073741823
 *  11     8        62        0 .. 4611686018427387903
 * </pre>
 */
public final class Varint {

    /** The largest value a varint can carry: 2^62 - 1. */
    public static final long MAX_VALUE = (1L << 62) - 1;

    private Varint() {
    }

    /** Bytes needed to encode {@code value} minimally; {@link IllegalArgumentException} when out of range. */
    public static int length(long value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("varint out of range [0, 2^62): " + value);
        }
        if (value < (1L << 6)) {
            return 1;
        }
        if (value < (1L << 14)) {
            return 2;
        }
        return value < (1L << 30) ? 4 : 8;
    }

    /** Bytes taken by a varint whose first byte is {@code firstByte}. */
    public static int lengthFromFirstByte(int firstByte) {
        return 1 << ((firstByte & 0xC0) >>> 6);
    }
}
