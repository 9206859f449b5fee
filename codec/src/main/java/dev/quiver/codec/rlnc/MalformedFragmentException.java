package dev.quiver.codec.rlnc;

import java.io.Serial;

/** A fragment's bytes do not parse or break a cap ({@link FragmentCodec}); the message names the field. */
public final class MalformedFragmentException extends FragmentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal naming the offending field and value. */
    public MalformedFragmentException(String message) {
        super(message);
    }
}
