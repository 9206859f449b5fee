package dev.quiver.codec.rlnc;

import java.io.Serial;

/**
 * The fragments parse but do not restore the blob they describe: the restored bytes do not match the blob hash, or
 * the fragments disagree about which blob they belong to.
 */
public final class CorruptFragmentException extends FragmentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal naming what did not match. */
    public CorruptFragmentException(String message) {
        super(message);
    }
}
