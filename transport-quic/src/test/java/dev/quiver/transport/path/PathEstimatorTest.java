package dev.quiver.transport.path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adaptive in-flight allowance, on a simulated path with a fake clock. */
@Timeout(10)
class PathEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final int CHUNK = 64 << 10;

    /** Keeps the path's budget used up for {@code durationNs}; returns the bytes acknowledged. */
    private static long saturate(SimulatedPath path, long fromNs, long durationNs) {
        long acked = path.estimator.ackedBytes();
        for (long now = fromNs; now < fromNs + durationNs; now += MS / 4) {
            path.advance(now);
            while (path.budgetBytes() >= CHUNK) {
                path.send(CHUNK, now);
            }
        }
        return path.estimator.ackedBytes() - acked;
    }

    @Test
    void startsAtTheFloorWithNoSamples() {
        PathEstimator e = new PathEstimator(512 << 10, 16 << 20);
        assertEquals(512 << 10, e.allowanceBytes());
        assertEquals(0, e.srttNs());
        e.onSent(100 << 10, 0);
        assertEquals((512 << 10) - (100 << 10), e.budgetBytes());
    }

    @Test
    void growsToAFewBandwidthDelayProductsAndFillsThePath() {
        double rate = 100e6; // bytes per second
        long rtt = 20 * MS;  // BDP 2 MB
        SimulatedPath path = new SimulatedPath(rate, rtt, 256 << 10, 64 << 20);
        saturate(path, 0, 2000 * MS);
        long acked = saturate(path, 2000 * MS, 1000 * MS);
        double bdp = rate * rtt / 1e9;
        long allowance = path.estimator.allowanceBytes();
        assertTrue(allowance >= 1.5 * bdp && allowance <= 3.5 * bdp, "allowance " + allowance + " vs BDP " + bdp);
        assertTrue(acked >= 0.95 * rate, "delivered " + acked + " B in 1 s at " + rate + " B/s");
        assertTrue(Math.abs(path.goodputBytesPerSecond() - rate) < 0.1 * rate, "goodput "
                + path.goodputBytesPerSecond());
        assertTrue(path.estimator.minRttNs() >= rtt && path.estimator.minRttNs() < rtt + 2 * MS,
                "min rtt " + path.estimator.minRttNs());
    }

    @Test
    void ceilingCapsTheAllowanceAndTheRate() {
        double rate = 100e6;
        long rtt = 20 * MS;
        SimulatedPath path = new SimulatedPath(rate, rtt, 256 << 10, 1 << 20);
        saturate(path, 0, 1000 * MS);
        long acked = saturate(path, 1000 * MS, 1000 * MS);
        assertEquals(1 << 20, path.estimator.allowanceBytes());
        // 1 MiB per 20 ms round trip is about 52 MB/s, whatever the link could do.
        assertTrue(acked < 0.6 * rate, "delivered " + acked);
    }

    @Test
    void lostBytesLeaveFlightAndAreCounted() {
        PathEstimator e = new PathEstimator(1 << 20, 1 << 20);
        e.onSent(300_000, 0);
        e.onLost(200_000);
        e.onAbandoned(50_000);
        assertEquals(50_000, e.inflightBytes());
        assertEquals(200_000, e.lostBytes());
        assertEquals(300_000, e.sentBytes());
    }
}
