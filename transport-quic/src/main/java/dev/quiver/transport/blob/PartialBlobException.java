package dev.quiver.transport.blob;

import java.io.IOException;
import java.io.Serial;

/** A partial download cannot be resumed or finished as asked: another blob's leftovers, missing groups, a taken name. */
public final class PartialBlobException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal explained by {@code message}. */
    public PartialBlobException(String message) {
        super(message);
    }
}
