package dev.quiver.transport.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * What a relay allows, so it is not an open proxy and one node cannot exhaust it. Every refusal carries a
 * {@link RelayRefusal} code.
 *
 * @param maxReservations            reservations held at once ({@link RelayRefusal#RESERVATIONS_FULL})
 * @param maxCircuits                circuits open at once ({@link RelayRefusal#RELAY_BUSY})
 * @param maxCircuitsPerNode         circuits one node takes part in, as initiator or target
 *                                   ({@link RelayRefusal#CIRCUITS_PER_NODE})
 * @param maxCircuitBytes            bytes one circuit may carry, both directions together
 *                                   ({@link RelayRefusal#CIRCUIT_BYTES})
 * @param maxCircuitDuration         how long one circuit may stay open ({@link RelayRefusal#CIRCUIT_DURATION})
 * @param connectsPerNodePerMinute   CONNECT requests one node may make in a sliding minute
 *                                   ({@link RelayRefusal#RATE_LIMITED})
 * @param maxReservationTtl          longest TTL granted; nodes renew before it runs out
 * @param targetAnswerTimeout        how long the relay waits for the target to accept a circuit
 */
public record RelayLimits(int maxReservations, int maxCircuits, int maxCircuitsPerNode, long maxCircuitBytes,
                          Duration maxCircuitDuration, int connectsPerNodePerMinute, Duration maxReservationTtl,
                          Duration targetAnswerTimeout) {

    /**
     * Defaults: 4096 reservations, 256 circuits (8 per node), 4 GiB and 1 hour per circuit, 60 connects per node
     * per minute, reservations for at most 10 minutes, 10 s for a target to answer.
     */
    public static final RelayLimits DEFAULT = new RelayLimits(4096, 256, 8, 4L << 30, Duration.ofHours(1), 60,
            Duration.ofMinutes(10), Duration.ofSeconds(10));

    /** Validates the ranges. */
    public RelayLimits {
        Objects.requireNonNull(maxCircuitDuration, "maxCircuitDuration");
        Objects.requireNonNull(maxReservationTtl, "maxReservationTtl");
        Objects.requireNonNull(targetAnswerTimeout, "targetAnswerTimeout");
        if (maxReservations < 1 || maxCircuits < 1 || maxCircuitsPerNode < 1 || maxCircuitBytes < 1
                || connectsPerNodePerMinute < 1 || maxCircuitDuration.isNegative() || maxCircuitDuration.isZero()
                || maxReservationTtl.toSeconds() < 1 || targetAnswerTimeout.isNegative()
                || targetAnswerTimeout.isZero()) {
            throw new IllegalArgumentException("relay limits must be positive: " + this);
        }
    }

    /** These limits with another reservation cap. */
    public RelayLimits withMaxReservations(int value) {
        return new RelayLimits(value, maxCircuits, maxCircuitsPerNode, maxCircuitBytes, maxCircuitDuration,
                connectsPerNodePerMinute, maxReservationTtl, targetAnswerTimeout);
    }

    /** These limits with other circuit caps (total and per node). */
    public RelayLimits withCircuits(int total, int perNode) {
        return new RelayLimits(maxReservations, total, perNode, maxCircuitBytes, maxCircuitDuration,
                connectsPerNodePerMinute, maxReservationTtl, targetAnswerTimeout);
    }

    /** These limits with other per-circuit caps. */
    public RelayLimits withCircuitBudget(long bytes, Duration duration) {
        return new RelayLimits(maxReservations, maxCircuits, maxCircuitsPerNode, bytes, duration,
                connectsPerNodePerMinute, maxReservationTtl, targetAnswerTimeout);
    }

    /** These limits with another connect rate. */
    public RelayLimits withConnectsPerMinute(int value) {
        return new RelayLimits(maxReservations, maxCircuits, maxCircuitsPerNode, maxCircuitBytes, maxCircuitDuration,
                value, maxReservationTtl, targetAnswerTimeout);
    }
}
