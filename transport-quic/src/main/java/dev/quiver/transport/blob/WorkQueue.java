package dev.quiver.transport.blob;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The ranges a transfer still has to fetch, shared by its providers' workers (work stealing: a faster provider
 * comes back sooner and takes more). Each take carves at most the caller's unit off the head, so a provider's
 * unit can follow its measured rate. When the queue runs dry it asks its {@link Feeder} for the next file, so a
 * collection of 100 000 files never has them all in memory. Requeued ranges (from a dropped provider) go first.
 * Thread-safe (its monitor).
 */
final class WorkQueue {

    /** A run of groups of one file. */
    record Range(FileJob job, long start, long end) {
        long count() {
            return end - start;
        }
    }

    /** Adds the next file's ranges; returns false when there are no more files. */
    @FunctionalInterface
    interface Feeder {
        boolean feed(WorkQueue queue) throws IOException;
    }

    /** Returned by {@link #take} once the transfer is over (done, failed or cancelled). */
    static final Range FINISHED = new Range(null, 0, 0);

    private final ArrayDeque<Range> pending = new ArrayDeque<>();
    private Feeder feeder;
    private boolean closed;

    /** Sets the source of further files (null: none). */
    synchronized void feeder(Feeder value) {
        feeder = value;
        notifyAll();
    }

    /** Appends a range (from a feeder or the transfer). */
    synchronized void add(Range r) {
        pending.addLast(r);
        notifyAll();
    }

    /** Puts an unfinished range back at the head, so it is fetched next by whoever comes first. */
    synchronized void requeue(Range r) {
        if (r.count() > 0 && !r.job().isFinished()) {
            pending.addFirst(r);
            notifyAll();
        }
    }

    /** Ends the queue: every waiting and later {@link #take} returns {@link #FINISHED}. */
    synchronized void close() {
        closed = true;
        pending.clear();
        notifyAll();
    }

    /**
     * The next range of at most {@code maxGroups} groups, waiting up to {@code timeoutNs} for one (null if none came,
     * {@link #FINISHED} once closed). A feeder's I/O error propagates.
     */
    synchronized Range take(long maxGroups, long timeoutNs) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            if (closed) {
                return FINISHED;
            }
            if (pending.isEmpty() && feeder != null) {
                if (!feeder.feed(this)) {
                    feeder = null;
                }
                continue;
            }
            Range head = pending.pollFirst();
            if (head != null) {
                if (head.count() <= maxGroups) {
                    return head;
                }
                pending.addFirst(new Range(head.job(), head.start() + maxGroups, head.end()));
                return new Range(head.job(), head.start(), head.start() + maxGroups);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
