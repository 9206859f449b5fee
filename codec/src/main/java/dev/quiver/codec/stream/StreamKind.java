package dev.quiver.codec.stream;

/** What a logical stream carries; decided by the bits of its {@link StreamId} alone. */
public enum StreamKind {
    /** The one control stream per session: acknowledgements, credit, pings, close. */
    CONTROL,
    /** A publisher stream named by a hash of its channel name. */
    CHANNEL,
    /** One blob transfer, named by a per-transfer nonce. */
    BLOB,
    /** One relay circuit, named by a circuit nonce. */
    RELAY,
    /** A well-known service (blob request, ...), named by a 16-bit service ID. */
    SUBPROTOCOL
}
