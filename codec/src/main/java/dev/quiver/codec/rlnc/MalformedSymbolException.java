package dev.quiver.codec.rlnc;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.io.Serial;

/**
 * A coded symbol from a peer does not parse, breaks a cap, or contradicts the generation it claims to belong to.
 * The message names the field and the value; {@link #error()} is the code to close the stream with.
 *
 * <p>Checked, as a {@link ProtocolException}: garbage from the network is an expected outcome at a trust
 * boundary, not a bug, so the compiler makes every caller (the stream or connection owner) decide what the peer
 * pays, instead of an unchecked exception unwinding through an event loop. Our own argument mistakes stay
 * unchecked ({@link IllegalArgumentException}, {@link IndexOutOfBoundsException}).
 */
public final class MalformedSymbolException extends ProtocolException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal with code {@code error} whose message names the offending field and value. */
    public MalformedSymbolException(ProtocolError error, String message) {
        super(error, message);
    }

    /** A symbol that does not parse: {@link ProtocolError#FRAME_ENCODING}. */
    static MalformedSymbolException encoding(String message) {
        return new MalformedSymbolException(ProtocolError.FRAME_ENCODING, message);
    }

    /** A field beyond its cap: {@link ProtocolError#FRAME_TOO_LARGE}. */
    static MalformedSymbolException tooLarge(String message) {
        return new MalformedSymbolException(ProtocolError.FRAME_TOO_LARGE, message);
    }

    /** A symbol that parses but contradicts its generation: {@link ProtocolError#PROTOCOL_VIOLATION}. */
    static MalformedSymbolException violation(String message) {
        return new MalformedSymbolException(ProtocolError.PROTOCOL_VIOLATION, message);
    }
}
