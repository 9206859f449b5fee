package dev.quiver.transport.relay;

import java.io.IOException;
import java.util.Objects;

/** The relay refused a reservation or circuit, or cut a circuit short; {@link #reason()} says why. */
public final class RelayRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient RelayRefusal reason;

    /** A refusal for {@code reason}; {@code context} names what was asked (the target, the relay). */
    public RelayRefusedException(RelayRefusal reason, String context) {
        super(reason.message() + " [" + reason + ", code " + reason.code() + "]: " + context);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the relay refused. */
    public RelayRefusal reason() {
        return reason;
    }
}
