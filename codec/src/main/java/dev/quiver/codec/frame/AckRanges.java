package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte ranges of a logical stream that the receiver holds, sent on the control stream. Why: acknowledgement is
 * per session, not per QUIC connection, so bytes sent over a path that later dies are known to be received (or
 * not) and only the missing ranges are re-sent. Offset {@code finalSize} stands for the FIN: a range ending at
 * {@code finalSize + 1} acknowledges the end of the stream.
 *
 * <pre>
 * +---------------------+----------------+----------------+----------------+
 * | stream id (64 bits) | count (varint) | start (varint) | length (varint)|
 * +---------------------+----------------+----------------+----------------+
 * | (count - 1) x ( gap (varint) | length (varint) )                       |
 * +------------------------------------------------------------------------+
 * </pre>
 *
 * Ranges ascend; {@code gap} is the next range's start minus the previous range's end (at least 1, so ranges never
 * touch or overlap); every length is at least 1; the last end is at most 2^62.
 *
 * @param id the logical stream
 * @param ranges ascending, disjoint, non-adjacent, non-empty ranges; at least one
 */
public record AckRanges(StreamId id, List<Range> ranges) implements Frame {

    /** Largest range end: the FIN of a stream whose final size is 2^62 - 1. */
    public static final long MAX_END = Varint.MAX_VALUE + 1;

    /**
     * A half-open range of stream offsets.
     *
     * @param start first offset, inclusive
     * @param end last offset, exclusive; {@code start < end <= MAX_END}
     */
    public record Range(long start, long end) {

        /** Validates {@code 0 <= start < end <= MAX_END}. */
        public Range {
            if (start < 0 || end <= start || end > MAX_END) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") invalid");
            }
        }

        /** {@code end - start}. */
        public long length() {
            return end - start;
        }
    }

    /** Validates the order rules above and copies the list. */
    public AckRanges {
        if (id == null || ranges == null || ranges.isEmpty()) {
            throw new IllegalArgumentException("id and a non-empty range list are required");
        }
        ranges = List.copyOf(ranges);
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).start() <= ranges.get(i - 1).end()) {
                throw new IllegalArgumentException("ranges must ascend with gaps: " + ranges);
            }
        }
    }

    @Override
    public int type() {
        return FrameType.ACK_RANGES;
    }

    @Override
    public int bodyLength() {
        int n = 8 + Varint.length(ranges.size());
        long prevEnd = 0;
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            n += Varint.length(i == 0 ? r.start() : r.start() - prevEnd) + Varint.length(r.length());
            prevEnd = r.end();
        }
        return n;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(ranges.size());
        long prevEnd = 0;
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            w.writeVarint(i == 0 ? r.start() : r.start() - prevEnd).writeVarint(r.length());
            prevEnd = r.end();
        }
    }

    static int maxBodyLength(FrameLimits limits) {
        return 8 + 8 + limits.maxAckRanges() * 16;
    }

    static AckRanges decodeBody(WireReader r, FrameLimits limits) throws ProtocolException {
        StreamId id = FrameFields.readStreamId(r);
        int count = (int) r.readVarint("ack range count", limits.maxAckRanges(), ProtocolError.FRAME_TOO_LARGE);
        if (count == 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "ack with no ranges");
        }
        // Each range needs at least 2 bytes, so a count the body cannot hold fails before the list is sized.
        if (count > r.remaining() / 2) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "ack range count " + count + " but only " + r.remaining() + " bytes");
        }
        List<Range> ranges = new ArrayList<>(count);
        long prevEnd = 0;
        for (int i = 0; i < count; i++) {
            long gap = r.readVarint(i == 0 ? "ack start" : "ack gap");
            long length = r.readVarint("ack length");
            if (i > 0 && gap == 0) {
                throw new ProtocolException(ProtocolError.FRAME_ENCODING, "ack gap 0 (ranges must not touch)");
            }
            if (length == 0) {
                throw new ProtocolException(ProtocolError.FRAME_ENCODING, "empty ack range");
            }
            if (gap > MAX_END - prevEnd || length > MAX_END - prevEnd - gap) {
                throw new ProtocolException(ProtocolError.FRAME_ENCODING, "ack range beyond 2^62");
            }
            long start = prevEnd + gap;
            prevEnd = start + length;
            ranges.add(new Range(start, prevEnd));
        }
        return new AckRanges(id, ranges);
    }
}
