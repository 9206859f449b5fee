package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.DialException;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One transfer: a blob into a file, or a collection into a directory. Its coordinator (a virtual thread) learns
 * the length (a probe whose answer proves it), opens the {@link FileJob}s, starts a {@link ProviderWorker} per
 * provider on a shared {@link WorkQueue}, and completes {@link #result()} once every file is in place; a watchdog
 * drops stalled providers. Commits of the resume bitmaps are batched ({@link DownloadOptions#commitIntervalBytes},
 * or every 2 s) by whichever reader thread crosses the threshold. Thread-safe.
 */
final class TransferRun implements Transfer {

    private static final Logger LOG = LoggerFactory.getLogger(TransferRun.class);
    private static final long WATCHDOG_MS = 200;
    private static final long WORKER_JOIN_MS = 5_000;

    private final BlobDownloader downloader;
    private final BlobHash hash;
    private final Path target;
    private final boolean replace;
    /** Read once per transfer: small files created with their mode need no chmod when it has no umask bits. */
    private final int umask = FileModes.umask();
    private final boolean collection;
    private final DownloadOptions options;
    private final WorkQueue queue = new WorkQueue();
    private final List<ProviderWorker> workers = new ArrayList<>();
    private final CompletableFuture<TransferResult> result = new CompletableFuture<>();
    /** Completed (with null) when every file is in place, or with the failure. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CommitBatcher commits;
    private final Set<Path> touchedDirs = ConcurrentHashMap.newKeySet();
    /** Directories this transfer created itself (found missing when its first file was placed). */
    private final Set<Path> madeDirs = ConcurrentHashMap.newKeySet();
    private final List<Path> paths = new ArrayList<>();
    private final AtomicLong bytesVerified = new AtomicLong();
    private final AtomicLong bytesFetched = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();
    private final java.util.concurrent.ExecutorService finisher =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().name("quiver-finish").factory());
    private final long startNs = System.nanoTime();
    private volatile long totalBytes = -1;
    private volatile long filesTotal = Long.MAX_VALUE;
    private volatile TransferState state = TransferState.STARTING;
    private volatile Throwable failure;
    private volatile FileJob manifestJob;
    private final CompletableFuture<Void> manifestDone = new CompletableFuture<>();
    private volatile CollectionPlan plan;
    private long rateSampleNs = System.nanoTime();
    private long rateSampleBytes;
    private double rate;

    TransferRun(BlobDownloader downloader, BlobHash hash, List<Ticket> providers, Path target, boolean replace,
                boolean collection, DownloadOptions options) {
        this.downloader = downloader;
        this.hash = hash;
        this.target = target.toAbsolutePath();
        this.replace = replace;
        this.collection = collection;
        this.options = options;
        this.commits = new CommitBatcher(options.commitIntervalBytes());
        Map<NodeId, Ticket> unique = new LinkedHashMap<>();
        for (Ticket t : providers) {
            unique.putIfAbsent(t.nodeId(), t);
        }
        for (Ticket t : unique.values()) {
            workers.add(new ProviderWorker(this, t, options));
        }
    }

    void start() {
        Thread.ofVirtual().name("quiver-transfer-" + hash.toHex().substring(0, 8)).start(this::main);
    }

    @Override
    public TransferStatus status() {
        List<ProviderStatus> ps = new ArrayList<>(workers.size());
        for (ProviderWorker w : workers) {
            ps.add(w.status());
        }
        return new TransferStatus(hash, bytesVerified.get(), totalBytes, sampleRate(), ps, state);
    }

    private synchronized double sampleRate() {
        long now = System.nanoTime();
        long dt = now - rateSampleNs;
        if (dt >= 250_000_000L) {
            long b = bytesFetched.get();
            double inst = (b - rateSampleBytes) * 1e9 / dt;
            rate = state == TransferState.RUNNING || state == TransferState.STARTING ? inst : 0;
            rateSampleNs = now;
            rateSampleBytes = b;
        }
        return rate;
    }

    @Override
    public void cancel() {
        end(new CancellationException("transfer of " + hash + " cancelled"), TransferState.CANCELLED);
    }

    @Override
    public CompletableFuture<TransferResult> result() {
        return result;
    }

    // ---- for workers and jobs

    BlobDownloader downloader() {
        return downloader;
    }

    BlobHash hash() {
        return hash;
    }

    WorkQueue queue() {
        return queue;
    }

    /** The process's umask, -1 if unknown ({@link FileModes#umask}). */
    int umask() {
        return umask;
    }

    boolean replace() {
        return replace;
    }

    Logger log() {
        return LOG;
    }

    boolean isOver() {
        return finished.isDone();
    }

    boolean succeeded() {
        return state == TransferState.DONE;
    }

    /** A local failure (disk): ends the transfer. */
    void fail(Throwable e) {
        end(e, TransferState.FAILED);
    }

    private void end(Throwable e, TransferState how) {
        synchronized (this) {
            if (finished.isDone()) {
                return;
            }
            state = how;
            failure = e;
        }
        finished.completeExceptionally(e);
        queue.close();
        for (ProviderWorker w : workers) {
            w.abort(new IOException("transfer " + how.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /** Verified bytes written; commits the resume bitmaps when enough have gathered. */
    void onVerified(FileJob job, long bytes, boolean toResumable) {
        if (job != manifestJob) {
            // The status counts file bytes, as its total does; the manifest is only in bytesFetched.
            bytesVerified.addAndGet(bytes);
        }
        bytesFetched.addAndGet(bytes);
        if (!toResumable) {
            return;
        }
        try {
            commits.written(bytes);
        } catch (IOException e) {
            throw new ProviderWorker.LocalFailure(e);
        }
    }

    /**
     * Makes {@code dir} (a collection file's parent, under {@code root}) ready for files to be placed in it: the
     * directories down to it are created where missing, and any that is a link or not a directory is refused.
     * Called by the collection's feeder, in manifest order, once per directory and transfer, before the first
     * file of that directory is fetched; so placing a file is a rename and nothing else.
     */
    void prepareDirectory(Path root, Path dir) throws IOException {
        if (touchedDirs.contains(dir)) {
            return;
        }
        // Follows links (a no-follow probe of a missing path throws inside the JDK); makeParents refuses a link.
        if (!Files.isDirectory(dir)) {
            madeDirs.add(dir);
        }
        CollectionExporter.makeParents(root, dir);
        touchedDirs.add(dir);
    }

    /** Moves a finished file from its temporary name to {@code finalPath} (collections: its parent is prepared). */
    void placeFile(Path from, Path finalPath) throws IOException {
        Path parent = finalPath.getParent();
        if (replace) {
            Files.move(from, finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            // The plan found no target in the way; a directory this transfer made holds only files it placed
            // (names are unique), so only directories that were there before are checked again per file.
            if (!madeDirs.contains(parent) && Files.exists(finalPath, LinkOption.NOFOLLOW_LINKS)) {
                throw new TargetExistsException(finalPath);
            }
            Files.move(from, finalPath, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Finishes a resumable {@code job} (close, fsyncs, mode, rename) on the finisher thread, so the reader that wrote
     * its last group goes on reading. Small files are finished by that reader at once (close, mode, rename: no
     * fsync), which spares a thread hand-off per file.
     */
    void finishLater(FileJob job) {
        try {
            finisher.execute(() -> {
                try {
                    job.finish();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("transfer of {} is over; {} stays unfinished", hash, job);
        }
    }

    /** A file is verified and under its final name. */
    void onFileDone(FileJob job, Path finalPath) {
        commits.remove(job);
        if (job == manifestJob) {
            manifestDone.complete(null);
            return;
        }
        synchronized (paths) {
            paths.add(finalPath);
        }
        countFileDone();
    }

    /** A file resumed from an earlier run brings {@code bytes} already verified. */
    void onResumed(long bytes) {
        bytesVerified.addAndGet(bytes);
    }

    /** A file found complete on disk from an earlier run. */
    void onFileAlreadyPresent(Path finalPath, long size) {
        bytesVerified.addAndGet(size);
        synchronized (paths) {
            paths.add(finalPath);
        }
        countFileDone();
    }

    private void countFileDone() {
        if (filesDone.incrementAndGet() == filesTotal) {
            succeed();
        }
    }

    /** Every file is in place. The queue is closed outside this object's lock (lock order: queue, then this). */
    private void succeed() {
        synchronized (this) {
            if (finished.isDone()) {
                return;
            }
            state = TransferState.DONE;
        }
        finished.complete(null);
        queue.close();
    }

    void onProviderDropped(ProviderWorker w) {
        for (ProviderWorker o : workers) {
            if (o.isActive()) {
                return;
            }
        }
        if (!finished.isDone()) {
            fail(exhausted());
        }
    }

    void setManifestJob(FileJob job) {
        manifestJob = job;
    }

    /** Registers an open job until it finishes: resumable ones take part in batched commits, all are released
     *  if the transfer ends first. */
    void addJob(FileJob job) {
        commits.add(job);
    }

    // ---- coordinator

    private void main() {
        Thread watchdog = null;
        try {
            if (workers.isEmpty()) {
                throw new IllegalArgumentException("no provider given for " + hash);
            }
            watchdog = Thread.ofVirtual().name("quiver-transfer-watchdog").start(this::watch);
            if (collection) {
                runCollection();
            } else {
                runBlob();
            }
            finished.join();
        } catch (Throwable e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof IOException io && !(io instanceof DiskFullException)
                    && DiskFullException.isNoSpace(io)) {
                cause = new DiskFullException(target, io);
            }
            fail(cause);
        }
        wrapUp(watchdog);
    }

    private void runBlob() throws Exception {
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new TargetExistsException(target);
        }
        Probe.Result probe = Probe.run(this, workers, hash, options);
        totalBytes = probe.length();
        PartialBlob partial = PartialBlob.open(target, hash, probe.length());
        FileJob job = FileJob.resumable(this, partial, target, -1);
        bytesVerified.set(job.bytesAlreadyVerified());
        filesTotal = 1;
        addJob(job);
        state = TransferState.RUNNING;
        startJob(job, probe);
        startWorkers();
    }

    /** Writes the probe's verified groups, then queues what is still missing (finishing a job with nothing left). */
    void startJob(FileJob job, Probe.Result probe) throws IOException {
        if (probe != null) {
            for (Probe.Group g : probe.groups()) {
                job.writeRun(g.index(), 1, java.nio.ByteBuffer.wrap(g.data()));
            }
        }
        List<GroupRange> missing = job.missing();
        if (missing.isEmpty()) {
            job.finish();
            return;
        }
        for (GroupRange r : missing) {
            queue.add(new WorkQueue.Range(job, r.start(), r.end()));
        }
    }

    private void runCollection() throws Exception {
        plan = new CollectionPlan(this, target, hash, replace);
        FileJob manifest = plan.openManifest(workers, options);
        if (manifest != null) {
            startWorkers();
            CompletableFuture.anyOf(manifestDone, finished).join();
        }
        if (finished.isDone()) {
            return;
        }
        plan.validate();
        totalBytes = plan.totalBytes();
        filesTotal = plan.entries();
        state = TransferState.RUNNING;
        if (plan.entries() == 0) {
            succeed();
            return;
        }
        queue.feeder(plan::feed);
        if (manifest == null) {
            startWorkers();
        }
    }

    private boolean workersStarted;

    private synchronized void startWorkers() {
        if (workersStarted) {
            return;
        }
        workersStarted = true;
        for (ProviderWorker w : workers) {
            if (w.isActive()) {
                w.thread = Thread.ofVirtual().name("quiver-blob-" + w.node().shortString()).start(w::runLoop);
            }
        }
    }

    private void watch() {
        while (!finished.isDone()) {
            try {
                Thread.sleep(WATCHDOG_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (ProviderWorker w : workers) {
                if (w.isActive()) {
                    w.checkStall(now);
                }
            }
        }
    }

    private void wrapUp(Thread watchdog) {
        queue.close();
        finisher.shutdown();
        try {
            if (!finisher.awaitTermination(WORKER_JOIN_MS, TimeUnit.MILLISECONDS)) {
                finisher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        for (ProviderWorker w : workers) {
            Thread t = w.thread;
            if (t != null) {
                try {
                    if (!t.join(java.time.Duration.ofMillis(WORKER_JOIN_MS))) {
                        w.abort(new IOException("transfer over"));
                        t.join(java.time.Duration.ofMillis(WORKER_JOIN_MS));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (state == TransferState.DONE) {
            try {
                for (Path d : touchedDirs) {
                    FileIo.syncDirectory(d);
                }
                if (plan != null) {
                    plan.cleanUp();
                }
            } catch (IOException e) {
                LOG.warn("transfer of {} finished, but syncing its directories failed", hash, e);
            }
            result.complete(buildResult());
            return;
        }
        try {
            commits.commitAll();
        } catch (IOException e) {
            LOG.warn("cannot record the verified part of {}: {}", hash, e.toString());
        }
        commits.abandonAll();
        if (plan != null) {
            plan.abandon();
        }
        // Not finished.exceptionNow(): a future completed with a CancellationException counts as cancelled.
        result.completeExceptionally(failure);
    }

    private TransferResult buildResult() {
        List<NodeId> used = new ArrayList<>();
        List<NodeId> dropped = new ArrayList<>();
        for (ProviderWorker w : workers) {
            if (w.bytesVerified() > 0 || w.servedProbe()) {
                used.add(w.node());
            }
            if (w.status().state() == ProviderStatus.State.DROPPED) {
                dropped.add(w.node());
            }
        }
        List<Path> out;
        synchronized (paths) {
            out = new ArrayList<>(paths);
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        long total = plan != null ? plan.totalBytes() : totalBytes;
        return new TransferResult(hash, out, total, bytesFetched.get(), seconds, used, dropped);
    }

    /** The error to end with when no provider is left. */
    Exception exhausted() {
        boolean allNotFound = true;
        boolean allDial = true;
        Exception first = null;
        List<ProviderStatus> statuses = new ArrayList<>();
        for (ProviderWorker w : workers) {
            statuses.add(w.status());
            allNotFound &= w.saidNotFound();
            Exception e = w.lastError();
            allDial &= e instanceof DialException || e instanceof PeerIdentityMismatchException;
            if (first == null) {
                first = e;
            }
        }
        if (allNotFound) {
            return new BlobNotFoundException(hash, "no provider has blob " + hash);
        }
        if (allDial && first != null) {
            return first;
        }
        return new ProvidersExhaustedException(hash.toString(), statuses);
    }
}
