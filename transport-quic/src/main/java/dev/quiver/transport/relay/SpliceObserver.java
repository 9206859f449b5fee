package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;

/**
 * Sees every chunk a relay forwards, for metering and for tests that check what the relay could read. It runs on
 * the splice thread before the bytes are forwarded, so it must be quick, and must neither log nor keep the bytes
 * beyond what its purpose needs (the relay itself never logs payload).
 */
@FunctionalInterface
public interface SpliceObserver {
    /** Observes nothing. */
    SpliceObserver NONE = (from, to, bytes, offset, length) -> { };

    /** {@code length} bytes at {@code bytes[offset]} are being forwarded from {@code from} to {@code to}. */
    void forwarded(NodeId from, NodeId to, byte[] bytes, int offset, int length);
}
