package dev.quiver.transport.identity;

/** The node's identity could not be loaded or created; the message names the file and what to do. */
public final class IdentityException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with an actionable message. */
    public IdentityException(String message) {
        super(message);
    }

    /** A failure with an actionable message and its cause. */
    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
