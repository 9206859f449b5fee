package dev.quiver.transport.path;

import java.util.Arrays;

/**
 * What one path has shown it can carry, measured at session level: bytes handed to the path are in flight until
 * the peer acknowledges them (AckRanges on the control stream) or until they are declared lost and re-sent
 * elsewhere. From those events it keeps a smoothed and a minimum RTT (RFC 9002 §5 style, but from our own
 * write-to-ack samples, so quiche's send queue counts too), the recent delivery rate, and the path's in-flight
 * allowance.
 *
 * <p>The allowance replaces a fixed cap: {@code gain x max recent delivery rate x min RTT} (the path's
 * bandwidth-delay product with headroom, the idea of BBR's in-flight cap), kept between a floor and a ceiling. It
 * grows by about {@code gain} per round trip while the path keeps up, since a path limited only by the allowance
 * delivers {@code allowance / rtt}, and it stops growing once queueing raises the RTT to {@code gain x min RTT}.
 * Small allowances keep quiche's queues short, so the fair scheduler (not quiche) orders the bytes and an
 * interactive message does not wait behind megabytes of bulk data (issue 4's latency under load); on a long fat
 * path the allowance grows to the bandwidth-delay product instead of capping the rate.
 *
 * <p>Time is passed in ({@code nowNs}), so tests step a fake clock. Thread: owned by the session's event loop.
 */
public final class PathEstimator {
    /** Allowance headroom over the measured bandwidth-delay product. */
    static final double GAIN = 2.5;
    /** Delivery-rate samples last at least this long (shorter ones are noise from ack bursts). */
    static final long MIN_SAMPLE_NS = 10_000_000L;
    /** Number of recent rate samples the maximum is taken over (about as many round trips). */
    static final int RATE_SAMPLES = 10;
    /** The minimum RTT expires after this long, so a route change to a longer path is noticed. */
    static final long MIN_RTT_WINDOW_NS = 10_000_000_000L;

    private final long floorBytes;
    private final long ceilingBytes;
    private long capBytes = Long.MAX_VALUE;
    private final double[] rateSamples = new double[RATE_SAMPLES];
    private int rateNext;
    private long inflightBytes;
    private long sentBytes;
    private long ackedBytes;
    private long lostBytes;
    private long srttNs;
    private long minRttNs;
    private long minRttStampNs;
    private long sampleStartNs = -1;
    private long sampleStartAcked;
    private double goodputBytesPerSecond;

    /** An estimator whose allowance stays in {@code [floorBytes, ceilingBytes]} and starts at the floor. */
    public PathEstimator(long floorBytes, long ceilingBytes) {
        if (floorBytes < 1 || ceilingBytes < floorBytes) {
            throw new IllegalArgumentException("need 1 <= floorBytes <= ceilingBytes, got " + floorBytes + ", "
                    + ceilingBytes);
        }
        this.floorBytes = floorBytes;
        this.ceilingBytes = ceilingBytes;
    }

    /** {@code bytes} were handed to the path. */
    public void onSent(long bytes, long nowNs) {
        inflightBytes += bytes;
        sentBytes += bytes;
        if (sampleStartNs < 0) {
            sampleStartNs = nowNs;
            sampleStartAcked = ackedBytes;
        }
    }

    /** {@code bytes} sent at {@code sentNs} were acknowledged at {@code nowNs}. */
    public void onAcked(long bytes, long sentNs, long nowNs) {
        inflightBytes = Math.max(0, inflightBytes - bytes);
        ackedBytes += bytes;
        long rtt = Math.max(1, nowNs - sentNs);
        srttNs = srttNs == 0 ? rtt : srttNs + (rtt - srttNs) / 8; // RFC 9002 §5.3: 7/8 old + 1/8 new
        if (minRttNs == 0 || rtt <= minRttNs || nowNs - minRttStampNs > MIN_RTT_WINDOW_NS) {
            minRttNs = rtt;
            minRttStampNs = nowNs;
        }
        long elapsed = nowNs - sampleStartNs;
        if (sampleStartNs >= 0 && elapsed >= Math.max(MIN_SAMPLE_NS, srttNs)) {
            double rate = (ackedBytes - sampleStartAcked) * 1e9 / elapsed;
            rateSamples[rateNext] = rate;
            rateNext = (rateNext + 1) % RATE_SAMPLES;
            goodputBytesPerSecond = goodputBytesPerSecond == 0 ? rate : goodputBytesPerSecond * 0.75 + rate * 0.25;
            // An idle path starts its next sample with its next send, so idle time does not dilute the rate.
            sampleStartNs = inflightBytes > 0 ? nowNs : -1;
            sampleStartAcked = ackedBytes;
        }
    }

    /** {@code bytes} in flight were given up on (the path died or stalled): they are re-sent elsewhere. */
    public void onLost(long bytes) {
        inflightBytes = Math.max(0, inflightBytes - bytes);
        lostBytes += bytes;
    }

    /** {@code bytes} in flight need no acknowledgement any more (their stream was reset). */
    public void onAbandoned(long bytes) {
        inflightBytes = Math.max(0, inflightBytes - bytes);
    }

    /** The path is being reused after a stall: forget the rate, which described the path before it. */
    public void restart() {
        Arrays.fill(rateSamples, 0);
        goodputBytesPerSecond = 0;
        sampleStartNs = -1;
    }

    /** Largest delivery rate among the recent samples, bytes per second (0 before the first sample). */
    public double maxRateBytesPerSecond() {
        double max = 0;
        for (double r : rateSamples) {
            max = Math.max(max, r);
        }
        return max;
    }

    /**
     * The in-flight allowance: {@code gain x max rate x min RTT}, within the floor and the ceiling, and under the
     * cap while one is set ({@link #capAllowance}).
     */
    public long allowanceBytes() {
        double bdp = maxRateBytesPerSecond() * minRttNs / 1e9;
        return Math.min(capBytes, Math.max(floorBytes, Math.min(ceilingBytes, (long) (GAIN * bdp))));
    }

    /**
     * Caps the allowance, below the floor too ({@link Long#MAX_VALUE} lifts the cap): the session keeps the path's
     * queues short while latency-sensitive bytes share it.
     */
    public void capAllowance(long bytes) {
        capBytes = bytes;
    }

    /** Bytes the path may take now (allowance minus in flight), never negative. */
    public long budgetBytes() {
        return Math.max(0, allowanceBytes() - inflightBytes);
    }

    /** Bytes handed to the path and neither acknowledged nor given up on. */
    public long inflightBytes() {
        return inflightBytes;
    }

    /** Smoothed write-to-ack RTT, 0 before the first sample. */
    public long srttNs() {
        return srttNs;
    }

    /** Smallest recent write-to-ack RTT, 0 before the first sample. */
    public long minRttNs() {
        return minRttNs;
    }

    /** Smoothed delivery rate (acknowledged bytes per second over recent samples), 0 before the first one. */
    public double goodputBytesPerSecond() {
        return goodputBytesPerSecond;
    }

    /** All bytes handed to the path (re-sends included). */
    public long sentBytes() {
        return sentBytes;
    }

    /** All bytes the peer acknowledged that this path carried. */
    public long ackedBytes() {
        return ackedBytes;
    }

    /** All bytes given up on this path and re-sent elsewhere. */
    public long lostBytes() {
        return lostBytes;
    }
}
