package dev.quiver.transport.relay;

import java.util.Optional;

/**
 * Why a relay refused a reservation, a circuit or cut a circuit short. The code travels in a {@code REFUSED}
 * message, or, once a circuit is open, as the reset code {@link #resetCode()} of both circuit streams.
 */
public enum RelayRefusal {
    /** CONNECT named a node that holds no (unexpired) reservation at this relay. */
    NO_RESERVATION(1, "peer not reachable through relay (it holds no reservation there)"),
    /** The relay holds as many reservations as its limit allows. */
    RESERVATIONS_FULL(2, "the relay holds its maximum number of reservations"),
    /** The initiator or the target already has its maximum number of circuits through this relay. */
    CIRCUITS_PER_NODE(3, "too many circuits through the relay for this node"),
    /** The relay carries its maximum number of circuits. */
    RELAY_BUSY(4, "the relay carries its maximum number of circuits"),
    /** The initiator asked for too many circuits within a minute. */
    RATE_LIMITED(5, "too many connect attempts through the relay in the last minute"),
    /** The target answered the incoming circuit with a refusal (or not in time). */
    TARGET_REFUSED(6, "the target node refused the relayed circuit"),
    /** The circuit carried its maximum number of bytes. */
    CIRCUIT_BYTES(7, "the relayed circuit reached its byte limit"),
    /** The circuit was open for its maximum duration. */
    CIRCUIT_DURATION(8, "the relayed circuit reached its time limit");

    /** Reset codes of open circuit streams are this base plus {@link #code()}. */
    public static final long RESET_CODE_BASE = 0x5200;

    private final int code;
    private final String message;

    RelayRefusal(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The wire code (u16). */
    public int code() {
        return code;
    }

    /** A human-readable explanation. */
    public String message() {
        return message;
    }

    /** The stream reset code that carries this refusal on an open circuit. */
    public long resetCode() {
        return RESET_CODE_BASE + code;
    }

    /** The refusal with wire code {@code code}, if known. */
    public static Optional<RelayRefusal> ofCode(int code) {
        for (RelayRefusal r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The refusal a circuit stream reset code carries, if it is one of ours. */
    public static Optional<RelayRefusal> ofResetCode(long resetCode) {
        long code = resetCode - RESET_CODE_BASE;
        return code > 0 && code <= 0xFFFF ? ofCode((int) code) : Optional.empty();
    }
}
