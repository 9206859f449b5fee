package dev.quiver.transport.relay;

/** How a path of a session reaches the peer (for "direct, relayed or both" reports). */
public enum PathKind {
    /** A QUIC connection straight to the peer's address. */
    DIRECT,
    /** A QUIC connection whose packets travel through a relay circuit. */
    RELAYED
}
