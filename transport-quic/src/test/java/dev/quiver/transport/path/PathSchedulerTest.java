package dev.quiver.transport.path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The path scheduler over simulated paths and a fake clock. */
@Timeout(10)
class PathSchedulerTest {
    private static final long MS = 1_000_000L;
    private static final int CHUNK = 64 << 10;

    /** Fills every path's budget through the scheduler for {@code durationNs}; returns bytes sent per path. */
    private static long[] run(List<SimulatedPath> paths, long fromNs, long durationNs) {
        long[] sent = new long[paths.size()];
        for (long now = fromNs; now < fromNs + durationNs; now += MS / 4) {
            for (SimulatedPath p : paths) {
                p.advance(now);
            }
            int i;
            while ((i = PathScheduler.pick(paths, CHUNK)) >= 0) {
                paths.get(i).send(CHUNK, now);
                sent[i] += CHUNK;
            }
        }
        return sent;
    }

    private static long acked(List<SimulatedPath> paths) {
        return paths.stream().mapToLong(p -> p.estimator.ackedBytes()).sum();
    }

    @Test
    void twoPathsDeliverAboutTheSumOfTheirRatesSplitByRate() {
        // 200 and 100 Mbit/s, 2 ms and 5 ms RTT.
        SimulatedPath a = new SimulatedPath(25e6, 2 * MS, 256 << 10, 16 << 20);
        SimulatedPath b = new SimulatedPath(12.5e6, 5 * MS, 256 << 10, 16 << 20);
        List<SimulatedPath> paths = List.of(a, b);
        run(paths, 0, 1000 * MS);
        long before = acked(paths);
        long[] sent = run(paths, 1000 * MS, 2000 * MS);
        double rate = (acked(paths) - before) / 2.0;
        assertTrue(rate >= 0.95 * 37.5e6, "both paths delivered " + rate + " B/s of 37.5e6");
        double share = (double) sent[0] / (sent[0] + sent[1]);
        assertTrue(Math.abs(share - 2.0 / 3) < 0.05, "path a carried " + share + " of the bytes, expected 2/3");
    }

    @Test
    void prefersTheLowerRttWhileItHasBudget() {
        SimulatedPath fast = new SimulatedPath(25e6, 2 * MS, 1 << 20, 1 << 20);
        SimulatedPath slow = new SimulatedPath(25e6, 40 * MS, 1 << 20, 1 << 20);
        fast.estimator.onAcked(0, 0, 2 * MS);
        slow.estimator.onAcked(0, 0, 40 * MS);
        List<SimulatedPath> paths = List.of(fast, slow);
        assertEquals(0, PathScheduler.pick(paths, CHUNK));
        fast.send(1 << 20, 3 * MS); // no budget left on the fast path
        assertEquals(1, PathScheduler.pick(paths, CHUNK));
        slow.send(1 << 20, 3 * MS);
        assertEquals(-1, PathScheduler.pick(paths, CHUNK));
    }

    @Test
    void unusablePathsAreNeverPickedAndLossShiftsTheChoice() {
        SimulatedPath a = new SimulatedPath(25e6, 2 * MS, 1 << 20, 1 << 20);
        SimulatedPath b = new SimulatedPath(25e6, 3 * MS, 1 << 20, 1 << 20);
        a.estimator.onAcked(0, 0, 2 * MS);
        b.estimator.onAcked(0, 0, 3 * MS);
        List<SimulatedPath> paths = List.of(a, b);
        assertEquals(0, PathScheduler.pick(paths, CHUNK));
        a.loss = 0.03;
        assertEquals(1, PathScheduler.pick(paths, CHUNK), "3 % loss makes the 2 ms path score worse than 3 ms");
        b.up = false;
        assertEquals(0, PathScheduler.pick(paths, CHUNK));
    }

    @Test
    void whenAPathGoesDownTheOtherTakesEverything() {
        SimulatedPath a = new SimulatedPath(25e6, 2 * MS, 256 << 10, 16 << 20);
        SimulatedPath b = new SimulatedPath(12.5e6, 2 * MS, 256 << 10, 16 << 20);
        List<SimulatedPath> paths = List.of(a, b);
        run(paths, 0, 500 * MS);
        a.up = false;
        long[] sent = run(paths, 500 * MS, 500 * MS);
        assertEquals(0, sent[0]);
        assertTrue(sent[1] >= 0.9 * 12.5e6 / 2, "the surviving path carried " + sent[1]);
    }

    @Test
    void stallDetectorFiresAfterTheSilenceLimitOnly() {
        StallDetector d = new StallDetector(0);
        long limit = StallDetector.silenceLimitNs(2 * MS);
        assertEquals(StallDetector.MIN_SILENCE_NS, limit);
        assertTrue(!d.isStalled(limit, 2 * MS));
        assertTrue(d.isStalled(limit + 1, 2 * MS));
        d.heard(limit);
        assertTrue(!d.isStalled(limit + 1, 2 * MS));
        assertEquals(StallDetector.MAX_SILENCE_NS, StallDetector.silenceLimitNs(1000 * MS));
    }
}
