package dev.quiver.codec.wire;

import java.io.Serial;

/**
 * A peer sent something Quiver refuses. Carries the {@link ProtocolError} that the connection or stream is closed
 * with; the message says which field was wrong and by how much, so the log is actionable on both ends.
 */
public final class ProtocolException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ProtocolError error;

    /** A refusal with code {@code error} and a message naming the offending field and value. */
    public ProtocolException(ProtocolError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    /** The code to close the connection or stream with. */
    public ProtocolError error() {
        return error;
    }
}
