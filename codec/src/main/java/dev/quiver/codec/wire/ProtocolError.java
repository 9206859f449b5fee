package dev.quiver.codec.wire;

/**
 * Why a peer's bytes were refused. The wire code is what the connection (or the logical stream) is closed with,
 * so both ends can log the same reason. Codes are Quiver's own application error space (the QUIC transport error
 * space of RFC 9000 §20.1 belongs to quiche); they never change once released.
 */
public enum ProtocolError {
    /** Graceful close: no error. */
    NO_ERROR(0x00),
    /** A bug or a resource failure on our side, not the peer's fault. */
    INTERNAL(0x01),
    /** The peer broke a protocol rule that has no more specific code. */
    PROTOCOL_VIOLATION(0x02),
    /** A frame's bytes do not parse: truncated, trailing bytes, a field out of range. */
    FRAME_ENCODING(0x03),
    /** A length field exceeds its cap (payload, ranges, reason, whole frame). */
    FRAME_TOO_LARGE(0x04),
    /** The frame type byte is not one this version knows. */
    FRAME_UNKNOWN_TYPE(0x05),
    /** A logical stream ID breaks the bit rules of {@code StreamId}. */
    STREAM_ID_INVALID(0x06),
    /** The peer sent beyond the credit we granted (RFC 9000 §4.1 analogue). */
    FLOW_CONTROL(0x07),
    /** A frame arrived for a stream in a state that cannot take it (unknown, closed, reset). */
    STREAM_STATE(0x08),
    /** The final size of a stream changed, or data arrived past it (RFC 9000 §4.5 analogue). */
    FINAL_SIZE(0x09),
    /** The application cancelled the stream or session. */
    CANCELLED(0x0A);

    private static final ProtocolError[] BY_CODE;

    static {
        ProtocolError[] values = values();
        BY_CODE = new ProtocolError[values.length];
        for (ProtocolError e : values) {
            BY_CODE[(int) e.code] = e;
        }
    }

    private final long code;

    ProtocolError(long code) {
        this.code = code;
    }

    /** The numeric code sent on the wire (a QUIC varint, RFC 9000 §16). */
    public long code() {
        return code;
    }

    /**
     * The error with wire code {@code code}, or {@code null} when this version does not know it (a newer peer may
     * send codes we do not know; they are logged as numbers, never rejected).
     */
    public static ProtocolError fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
