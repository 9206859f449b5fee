package dev.quiver.transport.quic;

import java.time.Duration;
import java.util.Objects;

/**
 * What the in-process impairment layer does to each UDP packet a rule of an {@link ImpairmentPlan} matches: drop
 * it with probability {@code dropRatio}; otherwise hold it for {@code delay} plus a uniform random extra in
 * [0, {@code jitter}] without changing the order of packets (as a link with a varying queue would); and with
 * probability {@code reorderRatio} hold it for {@code reorderDelay} more, so packets sent after it overtake it.
 * Jitter alone never reorders. Immutable.
 *
 * <pre>{@code
 * Impairment.NONE.withDropRatio(0.02).withDelay(Duration.ofMillis(5), Duration.ofMillis(2))
 *         .withReorder(0.01, Duration.ofMillis(3))
 * }</pre>
 *
 * @param dropRatio    probability in [0, 1] that a packet is dropped
 * @param delay        fixed delay of every delivered packet
 * @param jitter       upper bound of an extra uniform delay; order is kept
 * @param reorderRatio probability in [0, 1] that a delivered packet is held back by {@code reorderDelay} more
 * @param reorderDelay extra delay of a reordered packet (must be positive when {@code reorderRatio > 0})
 */
public record Impairment(double dropRatio, Duration delay, Duration jitter, double reorderRatio,
                         Duration reorderDelay) {
    /** Longest delay any single setting may ask for; longer would only make the idle timer fire. */
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);
    /** Delivers every packet at once. */
    public static final Impairment NONE = new Impairment(0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);

    /** Validates ranges. */
    public Impairment {
        requireRatio(dropRatio, "dropRatio");
        requireRatio(reorderRatio, "reorderRatio");
        requireDelay(delay, "delay");
        requireDelay(jitter, "jitter");
        requireDelay(reorderDelay, "reorderDelay");
        if (reorderRatio > 0 && reorderDelay.isZero()) {
            throw new IllegalArgumentException("reorderRatio " + reorderRatio + " needs a positive reorderDelay");
        }
    }

    /** Drops packets with probability {@code ratio}. */
    public static Impairment loss(double ratio) {
        return NONE.withDropRatio(ratio);
    }

    /** This impairment with drop probability {@code ratio}. */
    public Impairment withDropRatio(double ratio) {
        return new Impairment(ratio, delay, jitter, reorderRatio, reorderDelay);
    }

    /** This impairment with a fixed delay plus a uniform extra in [0, {@code extraJitter}]. */
    public Impairment withDelay(Duration fixed, Duration extraJitter) {
        return new Impairment(dropRatio, fixed, extraJitter, reorderRatio, reorderDelay);
    }

    /** This impairment holding back a share {@code ratio} of packets by {@code extra}, so later ones overtake. */
    public Impairment withReorder(double ratio, Duration extra) {
        return new Impairment(dropRatio, delay, jitter, ratio, extra);
    }

    /** True if this impairment changes nothing. */
    public boolean isNone() {
        return dropRatio == 0 && delay.isZero() && jitter.isZero() && reorderRatio == 0;
    }

    private static void requireRatio(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }

    private static void requireDelay(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(name + " must be in [0, " + MAX_DELAY + "], got " + value);
        }
    }
}
