package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.charset.StandardCharsets;

/**
 * Ends the session with a code and a human-readable reason. Why: QUIC's CONNECTION_CLOSE ends one path; a session
 * outlives paths, so the session needs its own close that every path can carry.
 *
 * <pre>
 * +----------------------+----------------------+----------------------+
 * | error code (varint)  | reason len (varint)  | reason (UTF-8)       |
 * +----------------------+----------------------+----------------------+
 * </pre>
 *
 * @param errorCode a {@link ProtocolError} code, or an application code
 * @param reason for logs only; malformed UTF-8 from the peer is replaced, not refused
 */
public record Close(long errorCode, String reason) implements Frame {

    /** Validates the code range; {@code reason} must be non-null. */
    public Close {
        FrameFields.checkVarint("errorCode", errorCode);
        if (reason == null) {
            throw new IllegalArgumentException("reason must be non-null (use \"\")");
        }
    }

    /** A close with a {@link ProtocolError} code. */
    public Close(ProtocolError error, String reason) {
        this(error.code(), reason);
    }

    /**
     * A close whose reason is cut (at a UTF-8 character boundary) to at most {@code maxReasonBytes}, so a long
     * local message (an exception text) never makes the peer refuse the close itself as FRAME_TOO_LARGE.
     */
    public static Close truncated(long errorCode, String reason, int maxReasonBytes) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxReasonBytes) {
            return new Close(errorCode, reason);
        }
        int end = Math.max(0, maxReasonBytes);
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // back off continuation bytes so the cut falls between characters
        }
        return new Close(errorCode, new String(utf8, 0, end, StandardCharsets.UTF_8));
    }

    @Override
    public int type() {
        return FrameType.CLOSE;
    }

    @Override
    public int bodyLength() {
        int n = reason.getBytes(StandardCharsets.UTF_8).length;
        return Varint.length(errorCode) + Varint.length(n) + n;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeVarint(errorCode).writeLengthPrefixed(reason.getBytes(StandardCharsets.UTF_8));
    }

    static int maxBodyLength(FrameLimits limits) {
        return 8 + 4 + limits.maxReasonBytes();
    }

    static Close decodeBody(WireReader r, FrameLimits limits) throws ProtocolException {
        long code = FrameFields.readCode(r);
        byte[] reason = r.readLengthPrefixed("close reason", limits.maxReasonBytes());
        return new Close(code, new String(reason, StandardCharsets.UTF_8));
    }
}
