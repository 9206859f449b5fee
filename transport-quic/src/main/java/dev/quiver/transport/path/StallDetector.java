package dev.quiver.transport.path;

/**
 * Decides when a path has gone silent. The session probes every path (a Ping on its control stream every
 * {@link #PROBE_INTERVAL_NS}) and notes every frame that arrives on it; a path from which nothing arrived for
 * {@code max(MIN_SILENCE_NS, 5 x probe interval, 3 x srtt)} (at most {@link #MAX_SILENCE_NS}) is stalled. A link
 * that goes down is noticed in 0.25-0.6 s instead of QUIC's idle timeout (30 s by default); a path that hears
 * again is usable again. A false alarm (a busy peer that answered late) costs re-sent bytes, never data.
 *
 * <p>Thread: owned by the session's event loop.
 */
public final class StallDetector {
    /** How often the session pings each path. */
    public static final long PROBE_INTERVAL_NS = 50_000_000L;
    /** Shortest silence that counts as a stall (tolerates a few lost probes and a late ack burst). */
    public static final long MIN_SILENCE_NS = 250_000_000L;
    /** Longest silence tolerated whatever the RTT, so failover stays well under a second. */
    public static final long MAX_SILENCE_NS = 600_000_000L;

    private long lastHeardNs;

    /** A detector that counts the path as heard at {@code nowNs} (when it came up). */
    public StallDetector(long nowNs) {
        lastHeardNs = nowNs;
    }

    /** Something arrived on the path. */
    public void heard(long nowNs) {
        lastHeardNs = Math.max(lastHeardNs, nowNs);
    }

    /** When something last arrived. */
    public long lastHeardNs() {
        return lastHeardNs;
    }

    /** The silence after which the path is stalled, for a path with smoothed RTT {@code srttNs}. */
    public static long silenceLimitNs(long srttNs) {
        return Math.min(MAX_SILENCE_NS, Math.max(Math.max(MIN_SILENCE_NS, 5 * PROBE_INTERVAL_NS), 3 * srttNs));
    }

    /** Whether the path has been silent too long at {@code nowNs}. */
    public boolean isStalled(long nowNs, long srttNs) {
        return nowNs - lastHeardNs > silenceLimitNs(srttNs);
    }
}
