package dev.quiver.transport;

/** Where one path of a session is in its life. */
public enum PathState {
    /** The connection is up and announced the session it joins; waiting for the peer to accept it. */
    JOINING,
    /** Carries data. */
    ACTIVE,
    /** Nothing arrived on it for longer than its stall limit: its data in flight was re-sent on other paths. */
    STALLED,
    /** The connection closed (or the path was removed); a snapshot may still show it once. */
    CLOSED
}
