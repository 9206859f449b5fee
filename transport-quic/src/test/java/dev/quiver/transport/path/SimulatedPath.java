package dev.quiver.transport.path;

import java.util.ArrayDeque;

/**
 * A deterministic model of one path for scheduler tests: a bottleneck of {@code rateBytesPerSecond} with a
 * one-way delay of half {@code rttNs} on each side and a FIFO queue, driven by a fake clock. Chunks handed to it are
 * acknowledged (through its {@link PathEstimator}) when the model delivers them.
 */
final class SimulatedPath implements PathScheduler.Candidate {
    private record Chunk(long bytes, long sentNs, long ackNs) {
    }

    final PathEstimator estimator;
    private final double rateBytesPerSecond;
    private final long rttNs;
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    private long bottleneckFreeNs;
    boolean up = true;
    double loss;

    SimulatedPath(double rateBytesPerSecond, long rttNs, long floorBytes, long ceilingBytes) {
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.rttNs = rttNs;
        this.estimator = new PathEstimator(floorBytes, ceilingBytes);
    }

    void send(long bytes, long nowNs) {
        long arrive = Math.max(nowNs + rttNs / 2, bottleneckFreeNs) + (long) (bytes * 1e9 / rateBytesPerSecond);
        bottleneckFreeNs = arrive;
        inFlight.add(new Chunk(bytes, nowNs, arrive + rttNs / 2));
        estimator.onSent(bytes, nowNs);
    }

    /** Delivers acknowledgements due by {@code nowNs}. */
    void advance(long nowNs) {
        while (up && !inFlight.isEmpty() && inFlight.peek().ackNs() <= nowNs) {
            Chunk c = inFlight.poll();
            estimator.onAcked(c.bytes(), c.sentNs(), c.ackNs());
        }
    }

    @Override
    public boolean usable() {
        return up;
    }

    @Override
    public PathEstimator estimator() {
        return estimator;
    }

    @Override
    public double lossRatio() {
        return loss;
    }
}
