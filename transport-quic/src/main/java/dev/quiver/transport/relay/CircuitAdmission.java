package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The relay's circuit counters: connect attempts per node in a sliding minute, circuits per node and in total.
 *
 * <p>Thread-safe (synchronized; every section is a few map operations).
 */
final class CircuitAdmission {
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);
    /** Sweep idle rate entries once the map grows past this, so it cannot grow with every node ever seen. */
    private static final int RATE_SWEEP_THRESHOLD = 1024;

    private final RelayLimits limits;
    private final Map<NodeId, ArrayDeque<Long>> attempts = new HashMap<>();
    private final Map<NodeId, Integer> circuitsByNode = new HashMap<>();
    private int circuits;

    CircuitAdmission(RelayLimits limits) {
        this.limits = limits;
    }

    /** Counts a connect attempt of {@code node}; refuses if it made its allowance in the last minute. */
    synchronized Optional<RelayRefusal> attempt(NodeId node, long nowNs) {
        if (attempts.size() > RATE_SWEEP_THRESHOLD) {
            attempts.values().removeIf(times -> nowNs - times.peekLast() >= MINUTE_NS);
        }
        ArrayDeque<Long> times = attempts.computeIfAbsent(node, n -> new ArrayDeque<>());
        while (!times.isEmpty() && nowNs - times.peekFirst() >= MINUTE_NS) {
            times.pollFirst();
        }
        if (times.size() >= limits.connectsPerNodePerMinute()) {
            return Optional.of(RelayRefusal.RATE_LIMITED);
        }
        times.addLast(nowNs);
        return Optional.empty();
    }

    /** Takes a circuit slot for {@code initiator} and {@code target}, or says which limit refuses it. */
    synchronized Optional<RelayRefusal> open(NodeId initiator, NodeId target) {
        if (circuits >= limits.maxCircuits()) {
            return Optional.of(RelayRefusal.RELAY_BUSY);
        }
        if (count(initiator) >= limits.maxCircuitsPerNode() || count(target) >= limits.maxCircuitsPerNode()) {
            return Optional.of(RelayRefusal.CIRCUITS_PER_NODE);
        }
        circuits++;
        circuitsByNode.merge(initiator, 1, Integer::sum);
        circuitsByNode.merge(target, 1, Integer::sum);
        return Optional.empty();
    }

    /** Gives back the slot {@link #open} took. */
    synchronized void close(NodeId initiator, NodeId target) {
        circuits--;
        circuitsByNode.computeIfPresent(initiator, (n, c) -> c > 1 ? c - 1 : null);
        circuitsByNode.computeIfPresent(target, (n, c) -> c > 1 ? c - 1 : null);
    }

    /** Circuits open now. */
    synchronized int circuits() {
        return circuits;
    }

    private int count(NodeId node) {
        return circuitsByNode.getOrDefault(node, 0);
    }
}
