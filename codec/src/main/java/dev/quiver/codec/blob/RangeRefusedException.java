package dev.quiver.codec.blob;

import java.io.Serial;

/**
 * The provider answered a range request with {@link RangeStatus#NOT_FOUND} or
 * {@link RangeStatus#RANGE_NOT_SATISFIABLE}: not a protocol error, ask another provider or another range.
 */
public final class RangeRefusedException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final RangeStatus status;
    private final long claimedLength;

    /** A refusal with {@code status}; {@code claimedLength} is the unverified length, or -1 if none was sent. */
    public RangeRefusedException(RangeStatus status, long claimedLength) {
        super("provider refused the range: " + status + (claimedLength >= 0 ? " (claims length " + claimedLength
                + ", unverified)" : ""));
        this.status = status;
        this.claimedLength = claimedLength;
    }

    /** Why. */
    public RangeStatus status() {
        return status;
    }

    /** The length the provider claims (not verified), or -1. */
    public long claimedLength() {
        return claimedLength;
    }
}
