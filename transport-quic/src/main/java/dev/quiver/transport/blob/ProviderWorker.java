package dev.quiver.transport.blob;

import dev.quiver.codec.blob.GroupSink;
import dev.quiver.codec.blob.RangeRefusedException;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeStatus;
import dev.quiver.codec.blob.VerifiedRangeDecoder;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.Ticket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches ranges from one provider for one transfer, over one blob stream of a shared session: a sender thread
 * takes ranges from the {@link WorkQueue} (unit size following this provider's measured rate) and pipelines
 * requests in batches up to the in-flight window ({@link RequestWindow}); a reader thread feeds the responses, in
 * order, to one {@link VerifiedRangeDecoder} per request, coalesces verified groups into runs of up to 1 MiB and
 * writes them with one positional write each. Both are virtual threads, so the event loop never verifies or writes.
 *
 * <p>A provider whose data does not verify, whose length differs from the verified one, that sends more than was
 * asked, or that goes silent past the stall timeout is dropped for good; a broken connection is retried with
 * backoff up to the retry budget. Either way its unfinished ranges go back to the queue for the others.
 */
final class ProviderWorker {

    private static final int READ_CHUNK = 256 * 1024;
    private static final int RUN_BYTES = 1 << 20;
    private static final long TAKE_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int GROUP = 16 * 1024;

    /** Why a provider is dropped for good (bad data, stall, not found), as opposed to a transient failure. */
    static final class Drop extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean notFound;

        Drop(String message, boolean notFound, Throwable cause) {
            super(message, cause);
            this.notFound = notFound;
        }
    }

    /** A local disk failure inside the sink: ends the whole transfer, never blamed on the provider. */
    static final class LocalFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LocalFailure(IOException cause) {
            super(cause);
        }

        IOException io() {
            return (IOException) getCause();
        }
    }

    /** A request on the wire, answered in order. */
    private static final class Inflight {
        final WorkQueue.Range range;
        final VerifiedRangeDecoder decoder;
        final long bytes;
        /** First group not yet written to disk; what a failure requeues from. */
        long written;

        Inflight(WorkQueue.Range range, VerifiedRangeDecoder decoder, long bytes) {
            this.range = range;
            this.decoder = decoder;
            this.bytes = bytes;
            this.written = range.start();
        }
    }

    private final TransferRun run;
    private final Ticket ticket;
    private final DownloadOptions options;
    private final RequestWindow window;
    private final ArrayDeque<Inflight> inflight = new ArrayDeque<>();
    private long inflightBytes;
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong bytesVerified = new AtomicLong();
    private volatile double rate;
    private long rateSampleNs = System.nanoTime();
    private long rateSampleBytes;
    private volatile long lastProgressNs = System.nanoTime();
    private volatile ProviderStatus.State state = ProviderStatus.State.ACTIVE;
    private volatile String reason;
    private volatile boolean notFound;
    private volatile Exception lastError;
    private volatile LogicalStream stream;
    private volatile boolean servedProbe;
    /** The worker's thread, once started (set by the transfer). */
    volatile Thread thread;
    /** The first failure of the current attempt (either thread); the other thread then stops. */
    private volatile Exception failure;
    private final ByteBuffer runBuf = ByteBuffer.allocateDirect(RUN_BYTES);
    private Inflight current;
    private long runStart = -1;
    private long runNext;

    ProviderWorker(TransferRun run, Ticket ticket, DownloadOptions options) {
        this.run = run;
        this.ticket = ticket;
        this.options = options;
        this.window = new RequestWindow(options.maxInflightRequests(), options.inflightBytesPerProvider());
    }

    NodeId node() {
        return ticket.nodeId();
    }

    Ticket ticket() {
        return ticket;
    }

    boolean isActive() {
        return state == ProviderStatus.State.ACTIVE;
    }

    boolean saidNotFound() {
        return notFound;
    }

    Exception lastError() {
        return lastError;
    }

    long bytesVerified() {
        return bytesVerified.get();
    }

    boolean servedProbe() {
        return servedProbe;
    }

    void markServedProbe() {
        servedProbe = true;
    }

    ProviderStatus status() {
        ProviderStatus.State st = state;
        return new ProviderStatus(node(), bytesReceived.get(), st == ProviderStatus.State.ACTIVE ? rate : 0, st,
                reason);
    }

    /** Marks this provider dropped for good (probe failures, cancellation of a never-started worker). */
    void markDropped(String why, boolean wasNotFound, Exception error) {
        notFound = wasNotFound;
        lastError = error;
        reason = why;
        state = ProviderStatus.State.DROPPED;
    }

    /** Runs the fetch loop until the queue finishes or this provider is dropped; blocking, on its own thread. */
    void runLoop() {
        int attempt = 0;
        while (true) {
            failure = null;
            try {
                PeerSession session = run.downloader().session(ticket);
                fetchOnce(session);
                Exception f = failure;
                if (f == null) {
                    state = ProviderStatus.State.DONE;
                    return;
                }
                throw f;
            } catch (Drop d) {
                drop(d.getMessage(), d.notFound, d);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drop("interrupted", false, e);
                return;
            } catch (Exception e) {
                lastError = e;
                reason = e.toString();
                if (run.isOver()) {
                    state = ProviderStatus.State.DONE;
                    return;
                }
                if (++attempt > options.maxRetries()) {
                    drop("gave up after " + options.maxRetries() + " retries: " + e, false, e);
                    return;
                }
                long backoffMs = options.retryBackoff().toMillis() << Math.min(attempt - 1, 10);
                run.log().info("provider {}: {} (retry {} of {} in {} ms)", node().shortString(), e, attempt,
                        options.maxRetries(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    drop("interrupted", false, ie);
                    return;
                }
            }
        }
    }

    private void drop(String why, boolean wasNotFound, Exception error) {
        markDropped(why, wasNotFound, error);
        run.log().warn("dropping provider {}: {}", node().shortString(), why);
        run.onProviderDropped(this);
    }

    /** One connection attempt: the sender runs here, the reader on a second virtual thread. */
    private void fetchOnce(PeerSession session) throws Exception {
        LogicalStream s = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 16);
        stream = s;
        Thread reader = Thread.ofVirtual().name("quiver-blob-read-" + node().shortString()).start(() -> readLoop(s));
        try {
            sendLoop(s);
        } catch (Exception e) {
            fail(e);
        }
        reader.join();
        requeueInflight();
        stream = null;
    }

    private void fail(Exception e) {
        synchronized (this) {
            if (failure == null) {
                failure = e;
            }
            notifyAll();
        }
        LogicalStream s = stream;
        if (s != null) {
            s.reset(BlobWire.RESET_ABANDONED);
        }
    }

    /** Abandons this provider's stream: called by the stall watchdog and by cancellation. */
    void abort(Exception why) {
        fail(why);
    }

    /** Drops this provider if it has requests outstanding and has sent nothing for the stall timeout. */
    void checkStall(long nowNs) {
        boolean waiting;
        synchronized (this) {
            waiting = !inflight.isEmpty();
        }
        long silentNs = nowNs - lastProgressNs;
        if (waiting && failure == null && silentNs > options.stallTimeout().toNanos()) {
            fail(new Drop("stalled: nothing received for " + TimeUnit.NANOSECONDS.toMillis(silentNs)
                    + " ms with requests outstanding", false, null));
        }
    }

    private void sendLoop(LogicalStream s) throws Exception {
        OutputStream out = s.outputStream();
        ByteBuffer batch = ByteBuffer.allocate(64 * (1 + RangeRequest.MAX_ENCODED_LENGTH));
        while (failure == null) {
            if (!awaitWindow()) {
                return;
            }
            WorkQueue.Range r = run.queue().take(unitGroups(), TAKE_WAIT_NS);
            if (r == null) {
                continue;
            }
            if (r == WorkQueue.FINISHED) {
                finishStream(s, out);
                return;
            }
            batch.clear();
            enqueue(r, batch);
            // Batch whatever else the window allows into the same write: many small files, one write.
            while (batch.remaining() >= 1 + RangeRequest.MAX_ENCODED_LENGTH && hasWindow()) {
                WorkQueue.Range more = run.queue().take(unitGroups(), 0);
                if (more == null || more == WorkQueue.FINISHED) {
                    break;
                }
                enqueue(more, batch);
            }
            out.write(batch.array(), 0, batch.position());
        }
    }

    private void finishStream(LogicalStream s, OutputStream out) throws IOException, InterruptedException {
        synchronized (this) {
            while (!inflight.isEmpty() && failure == null) {
                wait(100);
            }
        }
        if (run.succeeded() && failure == null) {
            out.write(BlobWire.complete(run.hash()));
            s.finish();
        } else if (failure == null) {
            fail(new IOException("transfer ended"));
        }
    }

    private void enqueue(WorkQueue.Range r, ByteBuffer batch) {
        long flags = options.lz4() ? RangeRequest.FLAG_LZ4 : 0;
        RangeRequest req = new RangeRequest(r.job().hash(), r.start(), r.count(), flags);
        Inflight item = new Inflight(r, new VerifiedRangeDecoder(req, r.job().length(), sink),
                r.job().bytesOf(r.start(), r.count()));
        synchronized (this) {
            if (inflight.isEmpty()) {
                lastProgressNs = System.nanoTime();
            }
            inflight.addLast(item);
            inflightBytes += item.bytes;
        }
        batch.put((byte) BlobWire.REQUEST);
        req.encode(batch);
    }

    private synchronized boolean hasWindow() {
        return window.hasRoom(inflight.size(), inflightBytes);
    }

    private synchronized boolean awaitWindow() throws InterruptedException {
        while (failure == null && !window.canRefill(inflight.size(), inflightBytes)) {
            wait(100);
        }
        return failure == null;
    }

    /** Groups per request: about 250 ms of this provider's measured rate, within the configured bounds. */
    private long unitGroups() {
        long byRate = (long) (rate * 0.25) / GROUP;
        return Math.clamp(byRate, options.minUnitGroups(), options.maxUnitGroups());
    }

    private void readLoop(LogicalStream s) {
        byte[] buf = new byte[READ_CHUNK];
        InputStream in = s.inputStream();
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    synchronized (this) {
                        if (!inflight.isEmpty()) {
                            throw new IOException("provider ended the stream with " + inflight.size()
                                    + " requests unanswered");
                        }
                    }
                    return;
                }
                onBytes(n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    consume(bb);
                }
            }
        } catch (LocalFailure e) {
            run.fail(e.io());
            fail(e.io());
        } catch (CorruptDataException e) {
            fail(new Drop(e.getMessage(), false, e));
        } catch (RangeRefusedException e) {
            boolean nf = e.status() == RangeStatus.NOT_FOUND;
            fail(new Drop(nf ? "does not have " + current.range.job().hash() : "refused the range: " + e.getMessage(),
                    nf, e));
        } catch (ProtocolException e) {
            fail(new Drop("sent bad data: " + e.getMessage(), false, e));
        } catch (Exception e) {
            fail(e);
        } finally {
            try {
                flushRun();
            } catch (LocalFailure e) {
                run.fail(e.io());
            }
        }
    }

    /** Data beyond every answer asked for. */
    private static final class CorruptDataException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptDataException(String message) {
            super(message);
        }
    }

    private void consume(ByteBuffer bb) throws Exception {
        Inflight item;
        synchronized (this) {
            item = inflight.peekFirst();
        }
        if (item == null) {
            throw new CorruptDataException("sent " + bb.remaining() + " bytes more than was asked for");
        }
        current = item;
        if (!item.decoder.feedUntilDone(bb)) {
            return;
        }
        item.decoder.finish();
        flushRun();
        synchronized (this) {
            inflight.pollFirst();
            inflightBytes -= item.bytes;
            if (inflight.isEmpty() || window.canRefill(inflight.size(), inflightBytes)) {
                notifyAll();
            }
        }
        current = null;
    }

    private void onBytes(int n) {
        long now = System.nanoTime();
        lastProgressNs = now;
        long total = bytesReceived.addAndGet(n);
        long dt = now - rateSampleNs;
        if (dt > 100_000_000L) {
            double inst = (total - rateSampleBytes) * 1e9 / dt;
            rate = rate == 0 ? inst : 0.7 * rate + 0.3 * inst;
            rateSampleNs = now;
            rateSampleBytes = total;
        }
    }

    /** The decoders' sink: coalesces consecutive verified groups of one file into a run. */
    private final GroupSink sink = (group, offset, data, off, len) -> {
        if (runStart >= 0 && (group != runNext || runBuf.remaining() < len)) {
            flushRun();
        }
        if (runStart < 0) {
            runStart = group;
        }
        runBuf.put(data, off, len);
        runNext = group + 1;
    };

    private void flushRun() {
        Inflight item = current;
        if (runStart < 0 || item == null) {
            return;
        }
        runBuf.flip();
        int bytes = runBuf.remaining();
        long first = runStart;
        // Whatever happens, the run is spent: groups that failed to reach the disk are not marked, so they are
        // fetched again by a later run.
        runStart = -1;
        try {
            item.range.job().writeRun(first, (int) (runNext - first), runBuf);
        } catch (IOException e) {
            throw new LocalFailure(e);
        } finally {
            runBuf.clear();
        }
        bytesVerified.addAndGet(bytes);
        item.written = runNext;
    }

    /** After an attempt: whatever was asked and not written goes back to the queue, at its head. */
    private void requeueInflight() {
        java.util.List<WorkQueue.Range> back = new java.util.ArrayList<>();
        synchronized (this) {
            for (Inflight i : inflight) {
                back.add(new WorkQueue.Range(i.range.job(), i.written, i.range.end()));
            }
            inflight.clear();
            inflightBytes = 0;
            notifyAll();
        }
        // Outside this worker's lock: the queue's lock is taken first elsewhere (take, then a feeder).
        for (WorkQueue.Range r : back.reversed()) {
            run.queue().requeue(r);
        }
        current = null;
        runStart = -1;
        runBuf.clear();
    }
}
