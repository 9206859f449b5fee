package dev.quiver.codec.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes wire fields into a {@link ByteBuffer}, big-endian. Callers size the buffer from the frame's
 * {@code length()}; writing past the limit is a bug on our side and throws {@link BufferOverflowException}
 * before any byte of the field is written. Not thread-safe: owned by the encoding thread.
 */
public final class WireWriter {

    private final ByteBuffer buf;

    /** A writer appending at {@code buf}'s position. */
    public WireWriter(ByteBuffer buf) {
        this.buf = buf;
    }

    /** The underlying buffer. */
    public ByteBuffer buffer() {
        return buf;
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new BufferOverflowException();
        }
    }

    /** One byte (low 8 bits of {@code v}). */
    public WireWriter writeU8(int v) {
        need(1);
        buf.put((byte) v);
        return this;
    }

    /** A big-endian 16-bit integer (low 16 bits of {@code v}). */
    public WireWriter writeU16(int v) {
        need(2);
        buf.putShort((short) v);
        return this;
    }

    /** A big-endian 32-bit integer. */
    public WireWriter writeInt(int v) {
        need(4);
        buf.putInt(v);
        return this;
    }

    /** A big-endian 64-bit integer. */
    public WireWriter writeLong(long v) {
        need(8);
        buf.putLong(v);
        return this;
    }

    /** {@code v} as a minimal QUIC varint (RFC 9000 §16); {@link IllegalArgumentException} outside [0, 2^62). */
    public WireWriter writeVarint(long v) {
        int len = Varint.length(v);
        need(len);
        switch (len) {
            case 1 -> buf.put((byte) v);
            case 2 -> buf.putShort((short) (0x4000 | v));
            case 4 -> buf.putInt((int) (0x8000_0000L | v));
            default -> buf.putLong(0xC000_0000_0000_0000L | v);
        }
        return this;
    }

    /** A varint length followed by {@code bytes}. */
    public WireWriter writeLengthPrefixed(byte[] bytes) {
        need(Varint.length(bytes.length) + bytes.length);
        writeVarint(bytes.length);
        buf.put(bytes);
        return this;
    }

    /** The remaining bytes of {@code src} (its position is not changed). */
    public WireWriter writeBytes(ByteBuffer src) {
        need(src.remaining());
        buf.put(src.duplicate());
        return this;
    }
}
