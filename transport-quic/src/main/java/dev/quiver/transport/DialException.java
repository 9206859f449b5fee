package dev.quiver.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A connection to a peer could not be established (unreachable, timed out, handshake refused). */
public final class DialException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Dialing {@code node} at {@code address} failed because of {@code cause}. */
    public DialException(NodeId node, InetSocketAddress address, Throwable cause) {
        super("cannot connect to node " + node + " at " + address + ": " + describe(cause), cause);
    }

    /** A failure with a ready-made message. */
    public DialException(String message, Throwable cause) {
        super(message, cause);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
