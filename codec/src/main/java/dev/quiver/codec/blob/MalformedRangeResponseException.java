package dev.quiver.codec.blob;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.io.Serial;

/** A range response that breaks the format: it ends early, runs on, or announces an impossible length. */
public final class MalformedRangeResponseException extends ProtocolException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        /** The stream ended before the last expected item. */
        TRUNCATED,
        /** Bytes followed the last expected item (the provider sent more than asked). */
        TRAILING_BYTES,
        /** The announced length exceeds {@link BlobLimits#MAX_BLOB_LENGTH}. */
        LENGTH_TOO_LARGE,
        /** The announced length differs from the length already known from a verified source. */
        LENGTH_MISMATCH,
        /** The status byte is not one this version knows. */
        UNKNOWN_STATUS,
        /** The header does not parse. */
        BAD_HEADER
    }

    private final Reason reason;

    /** A malformed response for {@code reason}, {@code detail} giving the numbers. */
    public MalformedRangeResponseException(Reason reason, String detail) {
        super(reason == Reason.LENGTH_TOO_LARGE ? ProtocolError.FRAME_TOO_LARGE : ProtocolError.FRAME_ENCODING,
                "range response " + reason + ": " + detail);
        this.reason = reason;
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }
}
