package dev.quiver.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Queue;

/** What the migration tests wait for: the server having moved its connection to where the client sends from now. */
final class ServerMigration {
    private ServerMigration() {
    }

    /**
     * Waits until the server has validated the client's current address (its latest LOCAL_REBOUND: the server may
     * have asked it to move again, see {@code ValidationWatch}) and migrated there, and returns that address; fails
     * with both event lists after {@code timeout}.
     */
    static InetSocketAddress await(Queue<PathEvent> clientEvents, Queue<PathEvent> serverEvents, Duration timeout) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true) {
            InetSocketAddress current = clientEvents.stream().filter(e -> e.kind() == PathEvent.Kind.LOCAL_REBOUND)
                    .reduce((first, second) -> second).map(PathEvent::local).orElse(null);
            if (current != null && serverEvents.stream().anyMatch(e -> e.kind() == PathEvent.Kind.PEER_MIGRATED
                    && e.remote().equals(current))) {
                return current;
            }
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError("server did not migrate to the client's address " + current
                        + "; client: " + clientEvents + "; server: " + serverEvents);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server to migrate", e);
            }
        }
    }
}
