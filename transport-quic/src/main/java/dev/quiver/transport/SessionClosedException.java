package dev.quiver.transport;

import java.io.IOException;

/** The session (its last path) closed while a stream still needed it; carries the close code when known. */
public final class SessionClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;

    /** The session closed with {@code errorCode} ({@code -1} when unknown) because of {@code reason}. */
    public SessionClosedException(String reason, long errorCode) {
        super("session closed" + (errorCode >= 0 ? " with error code " + StreamResetException.describe(errorCode)
                : "") + ": " + reason);
        this.errorCode = errorCode;
    }

    /** The close code, or {@code -1} when the connection ended without one (idle timeout, local close). */
    public long errorCode() {
        return errorCode;
    }
}
