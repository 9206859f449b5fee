package dev.quiver.transport;

import dev.quiver.codec.wire.ProtocolError;

import java.io.IOException;

/** The peer reset its direction of a logical stream (or asked us to stop sending) with an error code. */
public final class StreamResetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;

    /** A reset of {@code stream} with {@code errorCode}; {@code byPeer} says who reset it. */
    public StreamResetException(String stream, long errorCode, boolean byPeer) {
        super("stream " + stream + " was reset " + (byPeer ? "by the peer" : "locally") + " with error code "
                + describe(errorCode));
        this.errorCode = errorCode;
    }

    /** The error code of the reset: a {@link ProtocolError} code or an application code. */
    public long errorCode() {
        return errorCode;
    }

    static String describe(long code) {
        ProtocolError known = ProtocolError.fromCode(code);
        return known != null ? code + " (" + known + ")" : Long.toString(code);
    }
}
