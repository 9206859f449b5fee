package dev.quiver.codec.rlnc;

import java.io.Serial;

/**
 * A blob cannot be restored from the fragments given. Checked, like every refusal of outside data in codec:
 * fragments come from disks and peers, and the caller must decide what to fetch or repair next. The subclass says
 * which case applies.
 */
public abstract sealed class FragmentException extends Exception
        permits InsufficientFragmentsException, CorruptFragmentException, MalformedFragmentException {

    @Serial
    private static final long serialVersionUID = 1L;

    FragmentException(String message) {
        super(message);
    }
}
