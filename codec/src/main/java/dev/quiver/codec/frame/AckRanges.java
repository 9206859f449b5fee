package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
 * <p>The ranges live in one {@code long[]} of {@code start, end} pairs that the record owns: building an ack from
 * a range set, encoding it and decoding it allocate that array and nothing per range (a list of range records,
 * copied for immutability, cost an allocation per range and a copy per ack). Whoever passes the array in must not
 * change it afterwards; {@link #bounds()} hands out the record's own array, read it only.
 *
 * @param id the logical stream
 * @param bounds {@code start0, end0, start1, end1, ...}: ascending, disjoint, non-adjacent, non-empty ranges; at
 *               least one
 */
public record AckRanges(StreamId id, long[] bounds) implements Frame {

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

    /** Validates the order rules above; takes {@code bounds} as it is (no copy). */
    public AckRanges {
        if (id == null || bounds == null || bounds.length == 0 || (bounds.length & 1) != 0) {
            throw new IllegalArgumentException("id and a non-empty, even-length bounds array are required");
        }
        long prevEnd = -1;
        for (int i = 0; i < bounds.length; i += 2) {
            long start = bounds[i];
            long end = bounds[i + 1];
            if (start < 0 || end <= start || end > MAX_END) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") invalid");
            }
            if (start <= prevEnd) {
                throw new IllegalArgumentException("ranges must ascend with gaps: " + Arrays.toString(bounds));
            }
            prevEnd = end;
        }
    }

    /** An ack of {@code ranges} (validated as above). */
    public AckRanges(StreamId id, List<Range> ranges) {
        this(id, toBounds(ranges));
    }

    private static long[] toBounds(List<Range> ranges) {
        if (ranges == null) {
            throw new IllegalArgumentException("id and a non-empty range list are required");
        }
        long[] b = new long[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            b[2 * i] = ranges.get(i).start();
            b[2 * i + 1] = ranges.get(i).end();
        }
        return b;
    }

    /** Number of ranges. */
    public int count() {
        return bounds.length / 2;
    }

    /** Start of range {@code i}. */
    public long start(int i) {
        return bounds[2 * i];
    }

    /** End (exclusive) of range {@code i}. */
    public long end(int i) {
        return bounds[2 * i + 1];
    }

    /** The ranges as an unmodifiable list view (a {@link Range} per {@code get}). */
    public List<Range> ranges() {
        return new AbstractList<>() {
            @Override
            public Range get(int i) {
                Objects.checkIndex(i, count());
                return new Range(start(i), end(i));
            }

            @Override
            public int size() {
                return count();
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckRanges a && id.equals(a.id) && Arrays.equals(bounds, a.bounds);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return "AckRanges[id=" + id + ", ranges=" + ranges() + "]";
    }

    @Override
    public int type() {
        return FrameType.ACK_RANGES;
    }

    @Override
    public int bodyLength() {
        int n = 8 + Varint.length(count());
        long prevEnd = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            n += Varint.length(bounds[i] - prevEnd) + Varint.length(bounds[i + 1] - bounds[i]);
            prevEnd = bounds[i + 1];
        }
        return n;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(count());
        long prevEnd = 0; // the first range's start is written as a gap from 0
        for (int i = 0; i < bounds.length; i += 2) {
            w.writeVarint(bounds[i] - prevEnd).writeVarint(bounds[i + 1] - bounds[i]);
            prevEnd = bounds[i + 1];
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
        // Each range needs at least 2 bytes, so a count the body cannot hold fails before the array is sized.
        if (count > r.remaining() / 2) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "ack range count " + count + " but only " + r.remaining() + " bytes");
        }
        long[] bounds = new long[2 * count];
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
            bounds[2 * i] = prevEnd + gap;
            prevEnd = bounds[2 * i] + length;
            bounds[2 * i + 1] = prevEnd;
        }
        return new AckRanges(id, bounds);
    }
}
