package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * Tells the peer how this side wants a path used. Why: multipath needs both ends to agree which paths carry data
 * and which are standby or abandoned; the sequence number orders updates that travel on different paths (as
 * PATH_STATUS in draft-ietf-quic-multipath does).
 *
 * <pre>
 * +------------------+-------------------+--------------+
 * | path id (varint) | sequence (varint) | status (8)   |
 * +------------------+-------------------+--------------+
 * </pre>
 *
 * @param pathId the session's identifier of the path
 * @param sequence increases with every status update for this path; the receiver ignores older ones
 * @param status what the path is for now
 */
public record PathStatus(long pathId, long sequence, Status status) implements Frame {

    /** Path usage. */
    public enum Status {
        /** Carry data. */
        ACTIVE,
        /** Keep alive, carry data only when no active path can. */
        STANDBY,
        /** Stop using the path; in-flight data is re-sent elsewhere. */
        ABANDON
    }

    private static final Status[] STATUSES = Status.values();

    /** Validates the fields. */
    public PathStatus {
        FrameFields.checkVarint("pathId", pathId);
        FrameFields.checkVarint("sequence", sequence);
        if (status == null) {
            throw new IllegalArgumentException("status must be non-null");
        }
    }

    @Override
    public int type() {
        return FrameType.PATH_STATUS;
    }

    @Override
    public int bodyLength() {
        return Varint.length(pathId) + Varint.length(sequence) + 1;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeVarint(pathId).writeVarint(sequence).writeU8(status.ordinal());
    }

    static final int MAX_BODY_LENGTH = 17;

    static PathStatus decodeBody(WireReader r) throws ProtocolException {
        long pathId = r.readVarint("path id");
        long sequence = r.readVarint("path status sequence");
        int code = r.readU8("path status");
        if (code >= STATUSES.length) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "unknown path status " + code);
        }
        return new PathStatus(pathId, sequence, STATUSES[code]);
    }
}
