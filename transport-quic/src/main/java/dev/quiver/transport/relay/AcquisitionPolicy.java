package dev.quiver.transport.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the relay acquisition driver.
 *
 * @param healthInterval how often a held relay is checked (a lost session is noticed at once regardless)
 * @param initialBackoff the first wait after every candidate failed; it doubles per failure
 * @param maxBackoff     the cap of the doubling
 * @param reservationTtl the TTL asked of the relay (renewed at half of what it grants)
 */
public record AcquisitionPolicy(Duration healthInterval, Duration initialBackoff, Duration maxBackoff,
                                Duration reservationTtl) {
    /** 5 s health checks; backoff 30 s doubling to 300 s; 2-minute reservations. */
    public static final AcquisitionPolicy DEFAULT = new AcquisitionPolicy(Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofMinutes(2));

    /** Validates that every duration is positive and the cap is not below the first window. */
    public AcquisitionPolicy {
        Objects.requireNonNull(healthInterval, "healthInterval");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(reservationTtl, "reservationTtl");
        if (healthInterval.isNegative() || healthInterval.isZero() || initialBackoff.isNegative()
                || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0
                || reservationTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("invalid acquisition policy: " + this);
        }
    }
}
