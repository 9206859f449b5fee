package dev.quiver.codec.rlnc;

import java.io.Serial;

/**
 * A coded symbol from a peer does not parse, breaks a cap, or contradicts the generation it claims to belong to.
 * The message names the field and the value. Checked on purpose: garbage from the network is an expected outcome at
 * a trust boundary, not a bug, and the caller (the stream or connection owner) must decide what the peer pays; the
 * codec's other protocol errors ({@code dev.quiver.codec.wire}) are checked for the same reason.
 */
public final class MalformedSymbolException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal whose message names the offending field and value. */
    public MalformedSymbolException(String message) {
        super(message);
    }
}
