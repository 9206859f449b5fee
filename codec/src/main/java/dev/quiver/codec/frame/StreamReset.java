package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * The sender abandons its direction of a logical stream. Why: a reset must carry the reason, and the final size so
 * that both sides agree how much credit was consumed (RFC 9000 §19.4 analogue).
 *
 * <pre>
 * +-------------------------+----------------------+---------------------+
 * | stream id (64 bits)     | error code (varint)  | final size (varint) |
 * +-------------------------+----------------------+---------------------+
 * </pre>
 *
 * @param id the logical stream
 * @param errorCode a {@code ProtocolError} or application code
 * @param finalSize bytes the sender had sent (the highest offset + 1)
 */
public record StreamReset(StreamId id, long errorCode, long finalSize) implements Frame {

    /** Validates the fields. */
    public StreamReset {
        if (id == null) {
            throw new IllegalArgumentException("id must be non-null");
        }
        FrameFields.checkVarint("errorCode", errorCode);
        FrameFields.checkVarint("finalSize", finalSize);
    }

    @Override
    public int type() {
        return FrameType.STREAM_RESET;
    }

    @Override
    public int bodyLength() {
        return 8 + Varint.length(errorCode) + Varint.length(finalSize);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(errorCode).writeVarint(finalSize);
    }

    static final int MAX_BODY_LENGTH = 24;

    static StreamReset decodeBody(WireReader r) throws ProtocolException {
        return new StreamReset(FrameFields.readStreamId(r), FrameFields.readCode(r), r.readVarint("final size"));
    }
}
