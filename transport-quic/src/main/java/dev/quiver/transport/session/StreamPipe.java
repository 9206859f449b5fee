package dev.quiver.transport.session;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between application threads and the event loop for one logical stream. Application threads put
 * written bytes in {@code outQueue} (never more than the send space the loop has granted) and take read bytes from
 * {@code inQueue} (which the loop fills only up to {@code deliverLimitBytes}); each side wakes the other with one
 * {@code execute} per batch, never per byte. The read queue holds the network's own buffers (slices the reassembly
 * handed over), so a reader copies each received byte once, straight into its array; the pipe owns every buffer in
 * {@code inQueue} and releases it exactly once: when read to its end, or when the queue is dropped.
 *
 * <p>Instead of a reader blocked on it, a stream may have a readable listener ({@link #onReadable}): it runs on an
 * executor after every change a reader could see (bytes, the end, a failure), never two runs at once, so a server
 * holding thousands of idle streams (a relay's reservations) needs no parked thread, and no thread stack, per
 * stream.
 *
 * <p>Thread: every field is guarded by {@code lock}; application threads block on {@code changed} (fine on
 * virtual threads, {@link ReentrantLock} does not pin them). Application threads copy outside the lock (a writer
 * into the chunk whose space it reserved, a reader out of the buffers it took off the queue), so the loop, which
 * takes the lock for every delivery, hand-over and ack, holds it briefly and never waits behind a copy.
 */
final class StreamPipe {
    /** Largest chunk an application write hands over at once, so big writes pipeline with sending. */
    static final int MAX_HANDOFF_BYTES = 256 << 10;
    /**
     * Spare full-size write chunks kept. Reusing them saves allocating (and zeroing) a fresh array for every
     * hand-over, a pass over the bytes as costly as a copy.
     */
    private static final int MAX_SPARES = 4;
    /** Received buffers one read takes at most (each is one network read's worth, about a packet). */
    private static final int MAX_TAKEN_BUFFERS = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int deliverLimitBytes;
    /** Freed send space that wakes a blocked writer (less would make it write a sliver and block again). */
    private final long wakeSpaceBytes;

    // Send direction (application -> loop).
    private long sendSpace;
    private final ArrayDeque<ByteBuffer> outQueue = new ArrayDeque<>();
    private boolean outScheduled;
    private boolean finRequested;
    private boolean finHandedOver;
    /** Writers between {@link #reserve} and {@link #handOver}, copying outside the lock. */
    private int copying;
    private IOException sendError;
    private long bytesWritten;
    private final ArrayDeque<byte[]> spareOut = new ArrayDeque<>();

    // Receive direction (loop -> application).
    private final ArrayDeque<ByteBuf> inQueue = new ArrayDeque<>();
    private long inQueued;
    private boolean eof;
    private boolean backlog;
    private boolean refillScheduled;
    private boolean readerClosed;
    private IOException recvError;
    private long bytesRead;
    /** A reader blocks on {@code changed} for bytes, and how many it asked for (capped at half the queue limit). */
    private boolean readerWaiting;
    private int readerWantBytes;

    // Readable listener (instead of a blocked reader): one run at a time; a change during a run makes another.
    private Runnable readableListener;
    private Executor listenerExecutor;
    private boolean listenerScheduled;
    private boolean listenerPending;

    StreamPipe(long sendSpace, int deliverLimitBytes) {
        this.sendSpace = sendSpace;
        // A writer blocks only at zero space and space returns with every ack (the whole window once all is
        // acknowledged), so waiting for a quarter window never strands it.
        this.wakeSpaceBytes = Math.max(1, Math.min(MAX_HANDOFF_BYTES, sendSpace / 4));
        this.deliverLimitBytes = deliverLimitBytes;
    }

    // ---- application side -------------------------------------------------------------------------------------

    /**
     * Hands over up to {@code len} bytes, blocking while the send space is zero when {@code block}.
     *
     * @return bytes taken, 0 when not blocking and there is no space; the second element of {@code scheduleOut}
     *         tells the caller to wake the loop
     */
    int write(byte[] b, int off, int len, boolean block, boolean[] wakeLoop) throws IOException {
        int n;
        byte[] copy;
        lock.lock();
        try {
            while (sendSpace == 0 && sendError == null && !finRequested) {
                if (!block) {
                    return 0;
                }
                awaitChange();
            }
            checkWritable();
            n = (int) Math.min(Math.min(len, sendSpace), MAX_HANDOFF_BYTES);
            copy = reserve(n);
        } finally {
            lock.unlock();
        }
        // The copy runs outside the lock: the loop takes the lock for every delivery and ack, and an event loop
        // blocked behind a 256 KiB copy (or behind a descheduled virtual thread) stalls the whole connection.
        try {
            copy = copy != null ? copy : newChunk(n);
            System.arraycopy(b, off, copy, 0, n);
        } catch (RuntimeException | Error e) {
            unreserve(n);
            throw e;
        }
        return handOver(ByteBuffer.wrap(copy, 0, n), wakeLoop);
    }

    /** Non-blocking hand-over from a buffer; returns bytes taken or 0 when there is no space. */
    int offer(ByteBuffer src, boolean[] wakeLoop) throws IOException {
        int n;
        byte[] copy;
        lock.lock();
        try {
            checkWritable();
            n = (int) Math.min(Math.min(src.remaining(), sendSpace), MAX_HANDOFF_BYTES);
            if (n == 0) {
                return 0;
            }
            copy = reserve(n);
        } finally {
            lock.unlock();
        }
        ByteBuffer chunk;
        try {
            chunk = ByteBuffer.wrap(copy != null ? copy : newChunk(n), 0, n);
            chunk.put(0, src, src.position(), n);
        } catch (RuntimeException | Error e) {
            unreserve(n);
            throw e;
        }
        src.position(src.position() + n);
        return handOver(chunk, wakeLoop);
    }

    /**
     * Reserves {@code n} bytes of send space (so a concurrent writer cannot overdraw it while this one copies) and
     * returns a spare full-size array for a big hand-over, or null: the caller allocates outside the lock.
     */
    private byte[] reserve(int n) {
        sendSpace -= n;
        copying++;
        return n > MAX_HANDOFF_BYTES / 2 ? spareOut.poll() : null;
    }

    /** A reserved hand-over failed before it was queued: its space returns. */
    private void unreserve(int n) {
        lock.lock();
        try {
            sendSpace += n;
            copying--;
        } finally {
            lock.unlock();
        }
    }

    private static byte[] newChunk(int n) {
        return new byte[n > MAX_HANDOFF_BYTES / 2 ? MAX_HANDOFF_BYTES : n];
    }

    /**
     * Queues a filled chunk whose send space {@link #reserve} took. A send direction that failed meanwhile drops it
     * (as {@link #failSend} dropped the queue) and throws.
     */
    private int handOver(ByteBuffer chunk, boolean[] wakeLoop) throws IOException {
        int n = chunk.remaining();
        lock.lock();
        try {
            copying--;
            if (sendError != null) {
                throw sendError;
            }
            bytesWritten += n;
            outQueue.add(chunk);
            wakeLoop[0] = !outScheduled;
            outScheduled = true;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void checkWritable() throws IOException {
        if (sendError != null) {
            throw sendError;
        }
        if (finRequested) {
            throw new IOException("write after the stream was finished");
        }
    }

    /** Asks for FIN after the bytes handed over so far; returns whether the loop must be woken. */
    boolean requestFin() throws IOException {
        lock.lock();
        try {
            if (finRequested) {
                return false;
            }
            if (sendError != null) {
                throw sendError;
            }
            finRequested = true;
            boolean wake = !outScheduled;
            outScheduled = true;
            return wake;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code len} bytes, blocking while none have arrived when {@code block}.
     *
     * @return bytes read, 0 (not blocking, none ready) or -1 at the end; {@code wakeLoop[0]} tells the caller to
     *         ask the loop for more
     */
    int read(byte[] b, int off, int len, ByteBuffer dst, boolean block, boolean[] wakeLoop) throws IOException {
        ByteBuf[] taken;
        int count = 0;
        int n = 0;
        lock.lock();
        try {
            while (inQueue.isEmpty() && !eof && recvError == null) {
                if (!block) {
                    return 0;
                }
                readerWantBytes = Math.max(1, Math.min(len, deliverLimitBytes / 2));
                readerWaiting = true;
                try {
                    awaitChange();
                } finally {
                    readerWaiting = false;
                }
            }
            if (inQueue.isEmpty()) {
                if (recvError != null) {
                    throw recvError;
                }
                return -1;
            }
            // The buffers to copy from leave the queue here (a partly read head as a retained slice), so the copy
            // runs outside the lock: the loop takes it for every delivery, and must not wait behind a reader.
            taken = new ByteBuf[Math.min(inQueue.size(), MAX_TAKEN_BUFFERS)];
            while (n < len && count < taken.length) {
                ByteBuf head = inQueue.peek();
                int k = Math.min(len - n, head.readableBytes());
                if (k == head.readableBytes()) {
                    taken[count++] = inQueue.poll();
                } else {
                    taken[count++] = head.readRetainedSlice(k);
                }
                n += k;
            }
            inQueued -= n;
            bytesRead += n;
            if (backlog && !refillScheduled && inQueued <= deliverLimitBytes / 2) {
                refillScheduled = true;
                wakeLoop[0] = true;
            }
        } finally {
            lock.unlock();
        }
        int at = off;
        try {
            for (int i = 0; i < count; i++) {
                ByteBuf buf = taken[i];
                int k = buf.readableBytes();
                if (dst != null) {
                    int limit = dst.limit();
                    buf.readBytes(dst.limit(dst.position() + k));
                    dst.limit(limit);
                } else {
                    buf.readBytes(b, at, k);
                    at += k;
                }
            }
        } finally {
            for (int i = 0; i < count; i++) {
                taken[i].release();
            }
        }
        return n;
    }

    /** The reader gave up; returns true when the end had not been reached (the peer must stop sending). */
    boolean closeReader() {
        lock.lock();
        try {
            boolean early = !eof && recvError == null;
            readerClosed = true;
            releaseQueued();
            return early;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code listener} on {@code executor} once now and again after every change a reader could see: bytes
     * delivered, the end, a failure. Runs never overlap, and a change during a run is followed by another run, so
     * a listener that reads with {@code read(..., block = false)} until it gets 0 never misses bytes.
     *
     * @throws IllegalStateException if a listener is registered already
     */
    void onReadable(Runnable listener, Executor executor) {
        lock.lock();
        try {
            if (readableListener != null) {
                throw new IllegalStateException("the stream has a readable listener already");
            }
            readableListener = listener;
            listenerExecutor = executor;
            notifyListener();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a readable listener serves this stream (then no reader thread does). */
    boolean hasReadableListener() {
        lock.lock();
        try {
            return readableListener != null;
        } finally {
            lock.unlock();
        }
    }

    /** Schedules a listener run unless one is scheduled (which will then run again). Guarded by {@code lock}. */
    private void notifyListener() {
        if (readableListener == null) {
            return;
        }
        listenerPending = true;
        if (!listenerScheduled) {
            listenerScheduled = true;
            try {
                listenerExecutor.execute(this::runListener);
            } catch (RejectedExecutionException e) {
                // The node is closing: its streams fail and nobody is left to serve them.
                listenerScheduled = false;
            }
        }
    }

    private void runListener() {
        Runnable listener;
        while (true) {
            lock.lock();
            try {
                listenerPending = false;
                listener = readableListener;
            } finally {
                lock.unlock();
            }
            try {
                listener.run();
            } catch (RuntimeException | Error e) {
                lock.lock();
                try {
                    listenerScheduled = false; // a later change still runs it
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                if (!listenerPending) {
                    listenerScheduled = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void awaitChange() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a logical stream");
        }
    }

    // ---- loop side ---------------------------------------------------------------------------------------------

    /** Takes everything handed over; {@code out} receives the chunks. Returns true if FIN follows them. */
    boolean drainOut(List<ByteBuffer> out) {
        lock.lock();
        try {
            out.addAll(outQueue);
            outQueue.clear();
            outScheduled = false;
            // A FIN requested while a writer copies waits for that writer's chunk (its hand-over wakes the loop).
            boolean fin = finRequested && !finHandedOver && copying == 0;
            finHandedOver |= fin;
            return fin;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back chunks the loop has copied out of (from {@link #drainOut}); full-size ones are reused by later
     * writes. The loop must not touch them afterwards.
     */
    void recycleOut(List<ByteBuffer> chunks) {
        lock.lock();
        try {
            for (ByteBuffer c : chunks) {
                if (c.hasArray() && c.array().length == MAX_HANDOFF_BYTES && spareOut.size() < MAX_SPARES) {
                    spareOut.add(c.array());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Acknowledgements freed {@code bytes} of the send window. */
    void addSendSpace(long bytes) {
        lock.lock();
        try {
            sendSpace += bytes;
            if (sendSpace >= wakeSpaceBytes) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Room in the read queue, and clears the refill request (the loop is delivering now). */
    long deliverRoom() {
        lock.lock();
        try {
            refillScheduled = false;
            return readerClosed ? Long.MAX_VALUE : deliverLimitBytes - inQueued;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers buffers taken from the reassembly buffer (the pipe owns them from here on, also when this throws);
     * {@code end} at the FIN; {@code more} if some are still held there; {@code pushed} when delivery passed a push
     * point (see {@code StreamState}). Returns true when the reader made room
     * meanwhile and more is held: the loop delivers again at once (the reader saw no backlog when it made room, so
     * it will not ask).
     */
    boolean deliver(List<ByteBuf> chunks, boolean end, boolean more, boolean pushed) {
        lock.lock();
        try {
            for (ByteBuf c : chunks) {
                if (readerClosed || recvError != null) {
                    c.release();
                } else {
                    inQueue.add(c);
                    inQueued += c.readableBytes();
                }
            }
            eof |= end;
            backlog = more;
            // A blocked reader is woken at a push point (the end of a frame after which the sender had nothing
            // more queued: a message ended, or the sender paused), at the end, or once the bytes it asked for are
            // here: not for every packet's piece, nor for every frame of a bulk transfer, whose next bytes are on
            // their way (a wake-up costs a carrier thread's park and unpark). A listener likewise runs at push
            // points.
            if (readerWaiting && (pushed || end || more || inQueued >= readerWantBytes)) {
                changed.signalAll();
            }
            if (pushed || end || more) {
                notifyListener();
            }
            return more && (readerClosed || inQueued < deliverLimitBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a reader is blocked waiting for bytes (tests). */
    boolean readerWaiting() {
        lock.lock();
        try {
            return readerWaiting;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting in the read queue. */
    long queuedForReader() {
        lock.lock();
        try {
            return inQueued;
        } finally {
            lock.unlock();
        }
    }

    /** Fails the send direction (reset, stop-sending, session closed); blocked writers wake up and throw. */
    void failSend(IOException e) {
        lock.lock();
        try {
            if (sendError == null) {
                sendError = e;
            }
            outQueue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the receive direction; queued bytes are dropped and readers throw {@code e}. */
    void failReceive(IOException e) {
        lock.lock();
        try {
            if (recvError == null && !eof) {
                recvError = e;
                releaseQueued();
            }
            changed.signalAll();
            notifyListener();
        } finally {
            lock.unlock();
        }
    }

    /** Releases every buffer in the read queue (guarded by {@code lock}). */
    private void releaseQueued() {
        for (ByteBuf b; (b = inQueue.poll()) != null; ) {
            b.release();
        }
        inQueued = 0;
    }

    /** Application bytes handed over for sending. */
    long bytesWritten() {
        lock.lock();
        try {
            return bytesWritten;
        } finally {
            lock.unlock();
        }
    }

    /** Application bytes read. */
    long bytesRead() {
        lock.lock();
        try {
            return bytesRead;
        } finally {
            lock.unlock();
        }
    }
}
