package dev.quiver.transport.session;

/**
 * Where a stream's reader is woken: at push points, the stream offsets where a StreamData frame without the
 * {@code more} hint ended (the sender paused there, a message ended, or its credit ran out). A bulk transfer's
 * frames carry the hint, so its reader wakes once per read (for the bytes it asked for), not once per frame.
 *
 * <p>Offsets, not a flag per arriving frame: frames may arrive out of order (paths reorder, a lost frame is sent
 * again with whatever hint it then gets), and a push point reached only when the bytes under it arrive later must
 * still wake the reader then. Keeping only the highest push point is enough: the bytes up to it were all written
 * before it, so they arrive, and delivery passes it, without the reader's help.
 *
 * <p>Thread: the session's event loop.
 */
final class PushPoints {
    private long highest;
    private long passed;

    /** A frame without the {@code more} hint (or with FIN) ends at stream offset {@code end}. */
    void frameEnded(long end) {
        highest = Math.max(highest, end);
    }

    /**
     * Whether delivery up to {@code deliveredEnd} passed a push point it had not passed before; each push point
     * answers true once.
     */
    boolean passedBy(long deliveredEnd) {
        if (highest > passed && deliveredEnd >= highest) {
            passed = highest;
            return true;
        }
        return false;
    }
}
