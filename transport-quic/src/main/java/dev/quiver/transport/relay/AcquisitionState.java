package dev.quiver.transport.relay;

/** States of the relay acquisition driver (after saorsa-core's design). */
public enum AcquisitionState {
    /** Trying the relay candidates in order. */
    ACQUIRING,
    /** A reservation is held; its health is checked periodically. */
    HOLDING,
    /** The held relay failed; the address set is republished without it before reacquiring. */
    LOST,
    /** Every candidate failed; waiting out a window that doubles up to the cap (or a candidate change). */
    BACKOFF
}
