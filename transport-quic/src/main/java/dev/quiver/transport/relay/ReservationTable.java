package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The relay's reservations: node ID → the session that reserved and when the reservation expires. An entry is two
 * small objects, so an idle reservation costs what its QUIC connection and session cost, not this table.
 *
 * <p>Thread-safe (every method synchronized; the critical sections are a map lookup).
 */
final class ReservationTable {
    private record Reservation(PeerSession session, long expiresNs) {
    }

    private final int capacity;
    private final Map<NodeId, Reservation> byNode = new HashMap<>();

    ReservationTable(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Holds or renews the reservation of {@code session}'s peer until {@code nowNs + ttlNs}; a newer session of the
     * same node replaces the older one.
     *
     * @return the refusal, or empty if held
     */
    synchronized Optional<RelayRefusal> reserve(PeerSession session, long ttlNs, long nowNs) {
        NodeId node = session.peer();
        if (!byNode.containsKey(node) && byNode.size() >= capacity) {
            sweep(nowNs);
            if (byNode.size() >= capacity) {
                return Optional.of(RelayRefusal.RESERVATIONS_FULL);
            }
        }
        byNode.put(node, new Reservation(session, nowNs + ttlNs));
        return Optional.empty();
    }

    /** The session of {@code node}'s live reservation, if it holds one. */
    synchronized Optional<PeerSession> target(NodeId node, long nowNs) {
        Reservation r = byNode.get(node);
        if (r == null || !live(r, nowNs)) {
            return Optional.empty();
        }
        return Optional.of(r.session());
    }

    /** Whole seconds left on {@code node}'s reservation through {@code session}, 0 if none. */
    synchronized int ttlLeftSeconds(NodeId node, PeerSession session, long nowNs) {
        Reservation r = byNode.get(node);
        if (r == null || r.session() != session || !live(r, nowNs)) {
            return 0;
        }
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(r.expiresNs() - nowNs));
    }

    /** Drops {@code node}'s reservation if {@code session} holds it (a newer session's stays). */
    synchronized void release(NodeId node, PeerSession session) {
        Reservation r = byNode.get(node);
        if (r != null && r.session() == session) {
            byNode.remove(node);
        }
    }

    /** Reservations held (live or not yet swept). */
    synchronized int size() {
        return byNode.size();
    }

    private void sweep(long nowNs) {
        byNode.values().removeIf(r -> !live(r, nowNs));
    }

    private static boolean live(Reservation r, long nowNs) {
        return nowNs - r.expiresNs() < 0 && !r.session().closeFuture().isDone();
    }
}
