package dev.quiver.codec.rlnc;

import java.io.Serial;

/** Fewer than k distinct fragments were given; the message says how many more are needed. */
public final class InsufficientFragmentsException extends FragmentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal naming the counts. */
    public InsufficientFragmentsException(String message) {
        super(message);
    }
}
