package dev.quiver.transport.sched;

/** A monotonic clock in nanoseconds; injected so tests can step time (Kwik's TestClock, Aeron's CachedNanoClock). */
@FunctionalInterface
public interface NanoClock {

    /** The current time in nanoseconds from an arbitrary origin; never decreases. */
    long nowNs();

    /** {@link System#nanoTime()}. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
