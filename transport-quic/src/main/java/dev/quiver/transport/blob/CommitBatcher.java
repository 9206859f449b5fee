package dev.quiver.transport.blob;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files a transfer has open, and the batching of their resume-bitmap commits: after {@code intervalBytes} verified
 * bytes or 2 s, whichever comes first, the reader that crosses the line commits every open file (an fsync of its
 * data, then its bitmap), while the others carry on; one commit runs at a time. Thread-safe.
 */
final class CommitBatcher {

    private static final long COMMIT_EVERY_NS = TimeUnit.SECONDS.toNanos(2);

    private final long intervalBytes;
    private final Set<FileJob> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong sinceCommit = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastCommitNs = System.nanoTime();

    CommitBatcher(long intervalBytes) {
        this.intervalBytes = intervalBytes;
    }

    void add(FileJob job) {
        open.add(job);
    }

    void remove(FileJob job) {
        open.remove(job);
    }

    /** Counts {@code bytes} written to a resumable file; commits when the batch is full (see the class comment). */
    void written(long bytes) throws IOException {
        long pending = sinceCommit.addAndGet(bytes);
        if ((pending >= intervalBytes || System.nanoTime() - lastCommitNs > COMMIT_EVERY_NS) && lock.tryLock()) {
            try {
                sinceCommit.set(0);
                lastCommitNs = System.nanoTime();
                commitAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Commits every open resumable file now (small files have nothing to commit). */
    void commitAll() throws IOException {
        for (FileJob j : open) {
            j.commit();
        }
    }

    /** Releases every open file without finishing it (the transfer failed or was cancelled). */
    void abandonAll() {
        for (FileJob j : open) {
            j.abandon();
        }
    }
}
