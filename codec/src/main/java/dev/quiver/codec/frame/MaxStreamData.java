package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * Raises the credit of a logical stream: the sender may send bytes below {@code maxOffset}. Why: credit-based flow
 * control per logical stream (RFC 9000 §4.1 analogue) bounds the receiver's reassembly memory and, through it, the
 * sender's buffer, whichever paths the bytes take. Absolute, so a duplicate or reordered update is harmless
 * (the receiver of this frame keeps the maximum).
 *
 * <pre>
 * +-------------------------+---------------------+
 * | stream id (64 bits)     | max offset (varint) |
 * +-------------------------+---------------------+
 * </pre>
 *
 * @param id the logical stream
 * @param maxOffset the new credit limit, an absolute stream offset
 */
public record MaxStreamData(StreamId id, long maxOffset) implements Frame {

    /** Validates the fields. */
    public MaxStreamData {
        if (id == null) {
            throw new IllegalArgumentException("id must be non-null");
        }
        FrameFields.checkVarint("maxOffset", maxOffset);
    }

    @Override
    public int type() {
        return FrameType.MAX_STREAM_DATA;
    }

    @Override
    public int bodyLength() {
        return 8 + Varint.length(maxOffset);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(maxOffset);
    }

    static final int MAX_BODY_LENGTH = 16;

    static MaxStreamData decodeBody(WireReader r) throws ProtocolException {
        return new MaxStreamData(FrameFields.readStreamId(r), r.readVarint("max offset"));
    }
}
