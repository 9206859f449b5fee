package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * The receiver no longer wants a logical stream's bytes; the sender answers with {@link StreamReset}. Why: lets a
 * reader cancel (a download dropped, a bad provider) without waiting for data it will discard
 * (RFC 9000 §19.5 analogue).
 *
 * <pre>
 * +-------------------------+----------------------+
 * | stream id (64 bits)     | error code (varint)  |
 * +-------------------------+----------------------+
 * </pre>
 *
 * @param id the logical stream
 * @param errorCode a {@code ProtocolError} or application code
 */
public record StopSending(StreamId id, long errorCode) implements Frame {

    /** Validates the fields. */
    public StopSending {
        if (id == null) {
            throw new IllegalArgumentException("id must be non-null");
        }
        FrameFields.checkVarint("errorCode", errorCode);
    }

    @Override
    public int type() {
        return FrameType.STOP_SENDING;
    }

    @Override
    public int bodyLength() {
        return 8 + Varint.length(errorCode);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(errorCode);
    }

    static final int MAX_BODY_LENGTH = 16;

    static StopSending decodeBody(WireReader r) throws ProtocolException {
        return new StopSending(FrameFields.readStreamId(r), FrameFields.readCode(r));
    }
}
