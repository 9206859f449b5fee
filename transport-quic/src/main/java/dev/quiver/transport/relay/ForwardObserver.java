package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;

/**
 * Sees every inner packet a relay forwards, for metering and for tests that check what the relay could read. It runs
 * on the relay's forwarding thread before the packet is sent on, so it must be quick, and must neither log nor keep the bytes
 * beyond what its purpose needs (the relay itself never logs payload).
 */
@FunctionalInterface
public interface ForwardObserver {
    /** Observes nothing. */
    ForwardObserver NONE = (from, to, bytes, offset, length) -> { };

    /** {@code length} bytes at {@code bytes[offset]} are being forwarded from {@code from} to {@code to}. */
    void forwarded(NodeId from, NodeId to, byte[] bytes, int offset, int length);
}
