package dev.quiver.transport.sched;

/**
 * Receives the scheduler's decisions during {@link FairScheduler#drain}: stream {@code handle} may write
 * {@code bytes} now. Implemented by the session's writer, which emits up to that many bytes from the stream's
 * send buffer as frames and then tells the scheduler the stream's new sendable count
 * ({@link FairScheduler#setSendable}), since a stream may send fewer bytes than granted. Tests use a recording sink.
 */
@FunctionalInterface
public interface GrantSink {

    /** Stream {@code handle} writes {@code bytes} (&gt; 0) bytes now. */
    void grant(int handle, int bytes);
}
