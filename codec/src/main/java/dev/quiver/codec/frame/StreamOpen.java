package dev.quiver.codec.frame;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * Announces a new logical stream and how it wants to be scheduled. Why: the receiver's scheduler must know the
 * class and weight of the reverse direction before data flows, and opening is explicit so a stray StreamData for an
 * unknown stream can be refused (STREAM_STATE).
 *
 * <pre>
 * +-------------------------+---+-------------+-------------------+
 * | stream id (64 bits)     | C | priority (7)| weight (varint)   |
 * +-------------------------+---+-------------+-------------------+
 * </pre>
 *
 * <p>A logical stream may be carried by one QUIC stream on each path of a session. Each of them starts with a
 * StreamOpen; only the first one the opener sends has C = 0. C = 1 (a continuation) means "more of a stream already
 * opened": the receiver opens the stream if that first StreamOpen has not arrived yet (it travels on another path),
 * and ignores the carrier if the stream is already closed, so a late carrier never reopens a stream.
 *
 * @param id the logical stream
 * @param priority scheduling class (strict priority between classes)
 * @param weight DRR weight within the class, in [1, {@link #MAX_WEIGHT}] (HTTP/2's range, RFC 7540 §5.3.2)
 * @param continuation true on every carrier after the first (bit 0x80 of the priority byte)
 */
public record StreamOpen(StreamId id, PriorityClass priority, int weight, boolean continuation) implements Frame {

    /** Largest weight. */
    public static final int MAX_WEIGHT = 256;
    private static final int CONTINUATION_BIT = 0x80;

    /** Validates non-null fields and the weight range. */
    public StreamOpen {
        if (id == null || priority == null) {
            throw new IllegalArgumentException("id and priority must be non-null");
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be in [1, " + MAX_WEIGHT + "], got " + weight);
        }
    }

    /** The first StreamOpen of a stream (not a continuation). */
    public StreamOpen(StreamId id, PriorityClass priority, int weight) {
        this(id, priority, weight, false);
    }

    /** This open as a continuation carrier (for another path). */
    public StreamOpen asContinuation() {
        return new StreamOpen(id, priority, weight, true);
    }

    @Override
    public int type() {
        return FrameType.STREAM_OPEN;
    }

    @Override
    public int bodyLength() {
        return 8 + 1 + Varint.length(weight);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeU8(priority.code() | (continuation ? CONTINUATION_BIT : 0))
                .writeVarint(weight);
    }

    static final int MAX_BODY_LENGTH = 8 + 1 + 8;

    static StreamOpen decodeBody(WireReader r) throws ProtocolException {
        StreamId id = FrameFields.readStreamId(r);
        int octet = r.readU8("priority");
        int code = octet & ~CONTINUATION_BIT;
        PriorityClass priority = PriorityClass.fromCode(code);
        if (priority == null) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "unknown priority class " + code);
        }
        long weight = r.readVarint("weight", MAX_WEIGHT, ProtocolError.FRAME_ENCODING);
        if (weight < 1) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "weight 0");
        }
        return new StreamOpen(id, priority, (int) weight, (octet & CONTINUATION_BIT) != 0);
    }
}
