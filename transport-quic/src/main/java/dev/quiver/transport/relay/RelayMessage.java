package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;

import java.util.Objects;

/**
 * The relay's control messages (see {@link RelayCodec} for the wire form). Reservation messages travel on the
 * node's long-lived subprotocol stream {@link RelayCodec#SERVICE_ID}; circuit messages are the header of a RELAY
 * stream, after which the stream carries length-prefixed QUIC packets ({@link PacketFraming}).
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

    /** Initiator → relay, first on a RELAY stream: splice this stream to {@code target}. */
    record Connect(NodeId target) implements RelayMessage {
        public Connect {
            Objects.requireNonNull(target, "target");
        }
    }

    /** Relay → target, first on a RELAY stream: {@code initiator} wants a circuit. */
    record Incoming(NodeId initiator) implements RelayMessage {
        public Incoming {
            Objects.requireNonNull(initiator, "initiator");
        }
    }

    /** Target → relay and relay → initiator: the circuit is open; packets follow. */
    record Accepted() implements RelayMessage {
    }
}
