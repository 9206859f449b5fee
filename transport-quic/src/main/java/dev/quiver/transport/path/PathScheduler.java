package dev.quiver.transport.path;

import java.util.List;

/**
 * Chooses the path for the next grant of data frames. Among the paths that are usable and have at least
 * {@code minBudgetBytes} of in-flight budget, it picks the one where a new byte is expected to arrive first:
 *
 * <pre>
 *   score = (srtt + inflight / goodput) x (1 + LOSS_PENALTY x loss ratio)
 * </pre>
 *
 * That is lowest RTT first, weighted by measured goodput: the bytes already queued on a path wait
 * {@code inflight / goodput}, so a fast path takes more, and a slow or lossy path takes only what the fast ones
 * cannot (the earliest-completion-first idea of multipath TCP schedulers). A path without samples yet scores by
 * its RTT alone (0 when unknown), so a new path is tried at once and measured. Control frames do not go through
 * here: the session sends them on every live path.
 *
 * <p>Stateless and pure: the caller owns the paths and calls {@link #pick} for every grant.
 */
public final class PathScheduler {
    /** A 2 % loss ratio makes a path look 50 % slower. */
    static final double LOSS_PENALTY = 25;

    /** What the scheduler reads of a path. */
    public interface Candidate {
        /** Whether the path may carry data now (up, joined, not stalled). */
        boolean usable();

        /** Recent fraction of packets lost on the path (0 when unknown). */
        double lossRatio();

        /** The path's RTT, delivery-rate and in-flight estimates, which the other measures read. */
        PathEstimator estimator();

        /**
         * A standby path carries data only while no other usable path is not on standby (a relayed path kept as
         * the backup of a direct one, as PATH_STATUS standby in draft-ietf-quic-multipath §3.3).
         */
        default boolean standby() {
            return false;
        }

        /** In-flight budget left, bytes. */
        default long budgetBytes() {
            return estimator().budgetBytes();
        }

        /** Bytes in flight. */
        default long inflightBytes() {
            return estimator().inflightBytes();
        }

        /** Smoothed RTT, 0 when unknown. */
        default long srttNs() {
            return estimator().srttNs();
        }

        /** Measured goodput, 0 when unknown. */
        default double goodputBytesPerSecond() {
            return estimator().goodputBytesPerSecond();
        }
    }

    private PathScheduler() {
    }

    /**
     * The index of the path to use, or -1 when none is usable with at least {@code minBudgetBytes} budget. Standby
     * paths are candidates only when no usable path is off standby (even one without budget: its data waits
     * rather than spilling onto the backup).
     */
    public static int pick(List<? extends Candidate> paths, long minBudgetBytes) {
        boolean primaryUsable = false;
        for (Candidate p : paths) {
            primaryUsable |= p.usable() && !p.standby();
        }
        int best = -1;
        double bestScore = Double.MAX_VALUE;
        for (int i = 0; i < paths.size(); i++) {
            Candidate p = paths.get(i);
            if (!p.usable() || (primaryUsable && p.standby()) || p.budgetBytes() < minBudgetBytes) {
                continue;
            }
            double s = score(p);
            if (s < bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return best;
    }

    /** Expected delay in nanoseconds before a new byte on {@code p} is delivered, with the loss penalty. */
    public static double score(Candidate p) {
        double queued = p.goodputBytesPerSecond() > 0 ? p.inflightBytes() * 1e9 / p.goodputBytesPerSecond() : 0;
        return (p.srttNs() + queued) * (1 + LOSS_PENALTY * Math.max(0, p.lossRatio()));
    }
}
