package dev.quiver.simd.load;

import java.io.Serial;

/** Why Quiver's native library cannot be used in this JVM; the message says what to do about it. */
public final class NativeLoadException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    NativeLoadException(String message) {
        super(message);
    }

    NativeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
