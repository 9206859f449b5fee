package dev.quiver.transport.sched;

/**
 * Receives the scheduler's decisions during {@link FairScheduler#drain}: stream {@code handle} may write
 * {@code bytes} now. Implemented by the session's writer (which frames and writes the bytes) or by a test sink.
 */
@FunctionalInterface
public interface GrantSink {

    /** Stream {@code handle} writes {@code bytes} (&gt; 0) bytes now. */
    void grant(int handle, int bytes);
}
