package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;

import java.util.Objects;
import java.util.Optional;

/**
 * The relay's control messages (see {@link RelayCodec} for the wire form). Reservation messages travel on the
 * node's long-lived subprotocol stream {@link RelayCodec#SERVICE_ID}; circuit messages are the header of a RELAY
 * stream, which then stays open for the circuit's lifetime (its end or reset ends the circuit) while the packets
 * travel as UDP datagrams through the relay's data socket ({@link CircuitToken}).
 */
sealed interface RelayMessage {

    /** Node → relay: hold (or renew) a reservation for the sending node for {@code ttlSeconds}. */
    record Reserve(int ttlSeconds) implements RelayMessage {
    }

    /** Relay → node: the reservation is held for {@code ttlSeconds} from now. */
    record Reserved(int ttlSeconds) implements RelayMessage {
    }

    /** Relay → node (or target → relay): refused, with the reason. */
    record Refused(RelayRefusal reason) implements RelayMessage {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Node → relay health check on the reservation stream. */
    record Ping(long nonce) implements RelayMessage {
    }

    /** Relay → node: answers {@link Ping}; {@code ttlLeftSeconds} is 0 when no reservation is held. */
    record Pong(long nonce, int ttlLeftSeconds) implements RelayMessage {
    }

    /** Initiator → relay, first on a RELAY stream: open a circuit to {@code target}. */
    record Connect(NodeId target) implements RelayMessage {
        public Connect {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * Relay → target, first on a RELAY stream: {@code initiator} wants a circuit; {@code grant} is the target's
     * token and the relay's data port (empty only in the legacy form, which carries no data path).
     */
    record Incoming(NodeId initiator, Optional<CircuitGrant> grant) implements RelayMessage {
        public Incoming {
            Objects.requireNonNull(initiator, "initiator");
            Objects.requireNonNull(grant, "grant");
        }

        /** The legacy form, without a grant. */
        Incoming(NodeId initiator) {
            this(initiator, Optional.empty());
        }
    }

    /**
     * Target → relay (no grant) and relay → initiator (with the initiator's token and the relay's data port): the
     * circuit is open.
     */
    record Accepted(Optional<CircuitGrant> grant) implements RelayMessage {
        public Accepted {
            Objects.requireNonNull(grant, "grant");
        }

        /** The form without a grant (target → relay). */
        Accepted() {
            this(Optional.empty());
        }
    }
}
