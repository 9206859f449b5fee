package dev.quiver.transport;

import dev.quiver.codec.frame.FrameLimits;

/**
 * Limits of a node's sessions (its receive side, and what it buffers as a sender).
 *
 * @param streamWindowBytes   per logical stream: the credit we grant a peer (receive window) and the most a
 *                            sender buffers before {@code write} blocks (send window)
 * @param maxStreams          logical streams open at once per session, both directions together
 * @param maxPayloadBytes     largest StreamData payload we send and accept
 * @param pathInflightBytes   per path: the most bytes handed to QUIC and not yet acknowledged at session level
 *                            (the ceiling of the path's adaptive allowance, which follows 2.5 x delivery rate x
 *                            min RTT); keeps queues in quiche short so the fair scheduler, not quiche, orders the
 *                            bytes
 * @param maxAckRanges        most ranges in one acknowledgement, and the reassembly hole cap
 */
public record SessionLimits(int streamWindowBytes, int maxStreams, int maxPayloadBytes, int pathInflightBytes,
                            int maxAckRanges) {

    /**
     * Defaults: 16 MiB windows (QUIC's stream window in {@link QuicConfig}), 4096 streams, 64 KiB payloads, 2 MiB
     * in flight per path, 64 ranges. The in-flight cap trades latency for throughput: on loopback CUBIC fills the
     * socket buffers, so a larger cap only queues bulk bytes ahead of interactive ones (SessionBench: 4 MiB gave
     * 90 ms for a 64 KiB message under load, 1-2 MiB about 30 ms); on long paths it must cover the
     * bandwidth-delay product (2 MiB at 50 ms RTT caps a path near 330 Mbit/s).
     */
    public static final SessionLimits DEFAULT = new SessionLimits(16 << 20, 4096, 64 << 10, 2 << 20, 64);

    /** Validates the ranges. */
    public SessionLimits {
        if (streamWindowBytes < 1024 || streamWindowBytes > (1 << 30)) {
            throw new IllegalArgumentException("streamWindowBytes must be in [1 KiB, 1 GiB], got "
                    + streamWindowBytes);
        }
        if (maxStreams < 1 || maxPayloadBytes < 1024 || maxPayloadBytes > FrameLimits.HARD_MAX_PAYLOAD
                || pathInflightBytes < maxPayloadBytes || maxAckRanges < 2 || maxAckRanges > 4096) {
            throw new IllegalArgumentException("invalid session limits: " + this);
        }
    }

    /** The frame caps that go with these limits. */
    public FrameLimits frameLimits() {
        return new FrameLimits(maxPayloadBytes, maxAckRanges, FrameLimits.DEFAULT.maxReasonBytes(),
                FrameLimits.DEFAULT.maxSettings());
    }
}
