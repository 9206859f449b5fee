package dev.quiver.codec.wire;

import java.nio.ByteBuffer;

/**
 * Reads wire fields from a {@link ByteBuffer}, checking {@code remaining()} before every read and every cap
 * before every allocation, so garbage becomes a {@link ProtocolException} and never an
 * {@code IndexOutOfBoundsException} or an {@code OutOfMemoryError}. All multi-byte fixed fields are big-endian
 * (network order, RFC 9000 §1.3).
 *
 * <p>The reader advances the buffer's position; it never changes its limit. Not thread-safe: owned by the thread
 * that decodes (the connection's event loop).
 */
public final class WireReader {

    private final ByteBuffer buf;

    /** A reader over {@code buf} from its position to its limit. */
    public WireReader(ByteBuffer buf) {
        this.buf = buf;
    }

    /** A reader over all of {@code bytes}. */
    public static WireReader of(byte[] bytes) {
        return new WireReader(ByteBuffer.wrap(bytes));
    }

    /** Bytes left to read. */
    public int remaining() {
        return buf.remaining();
    }

    /** The underlying buffer (position = next unread byte). */
    public ByteBuffer buffer() {
        return buf;
    }

    private void need(int n, String field) throws ProtocolException {
        if (buf.remaining() < n) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "truncated " + field + ": need " + n + " bytes, " + buf.remaining() + " left");
        }
    }

    /** One unsigned byte. */
    public int readU8(String field) throws ProtocolException {
        need(1, field);
        return buf.get() & 0xFF;
    }

    /** An unsigned big-endian 16-bit integer. */
    public int readU16(String field) throws ProtocolException {
        need(2, field);
        return buf.getShort() & 0xFFFF;
    }

    /** A big-endian 32-bit integer. */
    public int readInt(String field) throws ProtocolException {
        need(4, field);
        return buf.getInt();
    }

    /** A big-endian 64-bit integer (any bit pattern). */
    public long readLong(String field) throws ProtocolException {
        need(8, field);
        return buf.getLong();
    }

    /** A QUIC variable-length integer (RFC 9000 §16), 0 .. 2^62 - 1; non-minimal encodings are accepted. */
    public long readVarint(String field) throws ProtocolException {
        need(1, field);
        int first = buf.get(buf.position()) & 0xFF;
        int len = Varint.lengthFromFirstByte(first);
        need(len, field);
        switch (len) {
            case 1 -> {
                buf.get();
                return first;
            }
            case 2 -> {
                return buf.getShort() & 0x3FFF;
            }
            case 4 -> {
                return buf.getInt() & 0x3FFF_FFFFL;
            }
            default -> {
                return buf.getLong() & Varint.MAX_VALUE;
            }
        }
    }

    /**
     * A varint that must not exceed {@code max}; {@code error} names the refusal (FRAME_TOO_LARGE for lengths,
     * FRAME_ENCODING for other fields).
     */
    public long readVarint(String field, long max, ProtocolError error) throws ProtocolException {
        long v = readVarint(field);
        if (v > max) {
            throw new ProtocolException(error, field + " " + v + " exceeds " + max);
        }
        return v;
    }

    /**
     * A varint length prefix followed by that many bytes, copied into a new array. The length is checked against
     * {@code capBytes} and against the bytes actually present BEFORE the array is allocated, so a forged length of
     * 2^62 fails fast.
     */
    public byte[] readLengthPrefixed(String field, int capBytes) throws ProtocolException {
        int len = (int) readVarint(field + " length", capBytes, ProtocolError.FRAME_TOO_LARGE);
        need(len, field);
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    /**
     * The next {@code len} bytes as a read-only view sharing the underlying buffer (no copy); the view is valid as
     * long as the underlying buffer is.
     */
    public ByteBuffer readSlice(String field, int len) throws ProtocolException {
        if (len < 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, field + " negative length " + len);
        }
        need(len, field);
        ByteBuffer slice = buf.slice(buf.position(), len).asReadOnlyBuffer();
        buf.position(buf.position() + len);
        return slice;
    }

    /** Throws FRAME_ENCODING unless every byte has been read (a frame body must be consumed exactly). */
    public void expectEnd(String what) throws ProtocolException {
        if (buf.hasRemaining()) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    what + " has " + buf.remaining() + " trailing bytes");
        }
    }
}
