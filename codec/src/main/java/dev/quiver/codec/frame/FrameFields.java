package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;

/** Field readers and checks shared by several frame bodies. */
final class FrameFields {

    private FrameFields() {
    }

    /** A 64-bit logical stream ID, validated by {@link StreamId#of(long)}. */
    static StreamId readStreamId(WireReader r) throws ProtocolException {
        return StreamId.of(r.readLong("stream id"));
    }

    /** A varint error code (any value; unknown codes are kept as numbers). */
    static long readCode(WireReader r) throws ProtocolException {
        return r.readVarint("error code");
    }

    /** Constructor check for fields carried as varints. */
    static long checkVarint(String name, long v) {
        if (v < 0 || v > Varint.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be in [0, 2^62), got " + v);
        }
        return v;
    }

    /** Wire check for offsets: offset + length must stay within the varint range (RFC 9000 §19.8 analogue). */
    static void checkEnd(long offset, long length) throws ProtocolException {
        if (length > Varint.MAX_VALUE - offset) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "offset " + offset + " + length " + length + " exceeds 2^62 - 1");
        }
    }
}
