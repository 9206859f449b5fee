package dev.quiver.transport;

import java.net.InetSocketAddress;

/**
 * Something happened to a network path of a QUIC connection: quiche's path events (RFC 9000 §8.2 path validation,
 * §9 migration) as the connection's side saw them, plus {@link Kind#LOCAL_REBOUND} when this node moved the UDP
 * socket under a dialed connection ({@link QuiverNode#migrate}, {@link QuiverNode#rebindPort}).
 *
 * @param kind   what happened
 * @param peer   the peer's node ID
 * @param dialed true on the dialing side of the connection
 * @param local  the local address of the path (for {@code LOCAL_REBOUND}: the new socket address)
 * @param remote the peer's address on the path
 * @param timeNs {@link System#nanoTime()} when the event was seen
 */
public record PathEvent(Kind kind, NodeId peer, boolean dialed, InetSocketAddress local, InetSocketAddress remote,
                        long timeNs) {

    /** The kinds of path events. */
    public enum Kind {
        /** A packet arrived from a new address pair; the path is being validated. */
        NEW,
        /** PATH_CHALLENGE was answered: the path is validated. */
        VALIDATED,
        /** The path could not be validated. */
        FAILED_VALIDATION,
        /** The path was closed and is no longer usable. */
        CLOSED,
        /** The peer reused its connection ID on another address pair (typical of NAT rebinding). */
        REUSED_SOURCE_CONNECTION_ID,
        /** The peer migrated: its packets now come from {@code remote} and replies go there (server side). */
        PEER_MIGRATED,
        /** This node moved the dial socket under the connection to {@code local} (client side). */
        LOCAL_REBOUND
    }
}
