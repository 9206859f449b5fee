package dev.quiver.transport.relay;

import java.io.IOException;

/** Bytes on a relay stream were not a valid relay message (unknown type, wrong length, truncated). */
public final class RelayProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A protocol violation described by {@code message}. */
    public RelayProtocolException(String message) {
        super(message);
    }
}
