package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file a transfer fetches: where verified groups go while it is incomplete, and how it reaches its final name.
 * Two forms:
 * <ul>
 *   <li><b>resumable</b> (a single blob, or a collection file above {@link #SMALL_FILE_BYTES}): a
 *       {@link PartialBlob} with its bitmap, committed in batches, so a later run fetches only what is missing;</li>
 *   <li><b>small</b>: a plain temporary file without bitmap or fsync, written in one or a few runs and renamed
 *       into place when complete; a crash refetches it, which costs less than bitmaps and fsyncs for thousands
 *       of small files.</li>
 * </ul>
 * The final name appears by an atomic rename only once every group is verified. Thread-safe: providers' reader
 * threads write disjoint runs concurrently; the one that writes the last group of a small file renames it itself,
 * and hands a resumable one to the transfer's finisher thread, so fsyncs never hold up the network.
 */
final class FileJob {

    /** Files up to this size go the small way. */
    static final long SMALL_FILE_BYTES = 1 << 20;

    private final TransferRun run;
    private final BlobHash hash;
    private final long length;
    private final Blake3Tree tree;
    private final Path finalPath;
    private final int mode;
    private final PartialBlob partial;
    private final Path tempPath;
    private FileChannel small;
    /** The small file was created with its final mode. */
    private boolean modeSet;
    private final AtomicLong remainingGroups;
    private volatile boolean finished;

    private FileJob(TransferRun run, BlobHash hash, long length, Path finalPath, int mode, PartialBlob partial,
                    Path tempPath, long remaining) {
        this.run = run;
        this.hash = hash;
        this.length = length;
        this.tree = Blake3Tree.of(length);
        this.finalPath = finalPath;
        this.mode = mode;
        this.partial = partial;
        this.tempPath = tempPath;
        this.remainingGroups = new AtomicLong(remaining);
    }

    /** A resumable job: {@code partial} ends at its own target, then moves to {@code finalPath} with {@code mode}. */
    static FileJob resumable(TransferRun run, PartialBlob partial, Path finalPath, int mode) {
        long missing = 0;
        for (GroupRange r : partial.missingRanges()) {
            missing += r.count();
        }
        return new FileJob(run, partial.hash(), partial.length(), finalPath, mode, partial, null, missing);
    }

    /** A small job written to {@code tempPath} (created on first write), renamed to {@code finalPath}. */
    static FileJob small(TransferRun run, BlobHash hash, long length, Path tempPath, Path finalPath, int mode) {
        return new FileJob(run, hash, length, finalPath, mode, null, tempPath,
                Blake3Tree.of(length).groupCount());
    }

    BlobHash hash() {
        return hash;
    }

    long length() {
        return length;
    }

    long groupCount() {
        return tree.groupCount();
    }

    boolean isFinished() {
        return finished;
    }

    /** Verified bytes already on disk when the job was made (an earlier run's). */
    long bytesAlreadyVerified() {
        return partial == null ? 0 : partial.verifiedBytes();
    }

    /** The groups still to fetch. */
    List<GroupRange> missing() {
        return partial != null ? partial.missingRanges() : List.of(new GroupRange(0, tree.groupCount()));
    }

    /** Bytes of groups {@code [first, first + count)}. */
    long bytesOf(long first, long count) {
        long last = first + count - 1;
        return tree.groupOffset(last) + tree.groupLength(last) - tree.groupOffset(first);
    }

    /**
     * Writes verified groups {@code [first, first + count)} from {@code data}; finishes the file when they were the
     * last. An out-of-space error becomes a {@link DiskFullException}.
     */
    void writeRun(long first, int count, ByteBuffer data) throws IOException {
        long bytes = data.remaining();
        int fresh;
        try {
            if (partial != null) {
                fresh = partial.acceptRun(first, count, data);
            } else {
                FileIo.writeFully(smallChannel(), data, tree.groupOffset(first));
                fresh = count;
            }
        } catch (IOException e) {
            throw DiskFullException.isNoSpace(e) ? new DiskFullException(workPath(), e) : e;
        }
        // Groups an earlier run (or the probe) had already verified are not counted twice.
        run.onVerified(this, fresh == count ? bytes : fresh == 0 ? 0 : bytesOf(first, fresh), partial != null);
        if (remainingGroups.addAndGet(-fresh) == 0) {
            if (partial == null) {
                finish();
            } else {
                run.finishLater(this);
            }
        }
    }

    private synchronized FileChannel smallChannel() throws IOException {
        if (small == null) {
            // Created with its mode when the umask leaves that mode whole: saves a chmod per file. A temporary file
            // left by a crashed run keeps its old mode, so it is truncated and chmodded as before.
            int umask = run.umask();
            if (mode >= 0 && umask >= 0 && (mode & umask) == 0) {
                try {
                    small = FileChannel.open(tempPath,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(FileModes.toPermissions(mode)));
                    modeSet = true;
                    return small;
                } catch (FileAlreadyExistsException e) {
                    // falls through
                }
            }
            small = FileChannel.open(tempPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return small;
    }

    private Path workPath() {
        return partial != null ? finalPath : tempPath;
    }

    /**
     * Makes the verified part durable and recorded (resumable jobs); a no-op for small ones and once finished.
     * Under this job's lock, so it never meets a {@link #finish} that has closed the file.
     */
    synchronized void commit() throws IOException {
        if (partial != null && !finished) {
            try {
                partial.commit();
            } catch (IOException e) {
                throw DiskFullException.isNoSpace(e) ? new DiskFullException(workPath(), e) : e;
            }
        }
    }

    /** Puts the complete file under its final name (atomically) with its mode. */
    synchronized void finish() throws IOException {
        if (finished) {
            return;
        }
        try {
            if (partial != null) {
                // A part file finishing under a temporary name may replace a leftover of a crashed run.
                Path done = partial.finish(!partialAtFinal() || run.replace());
                if (!done.equals(finalPath)) {
                    setMode(done);
                    run.placeFile(done, finalPath);
                } else {
                    setMode(done);
                }
            } else {
                smallChannel().close();
                if (!modeSet) {
                    setMode(tempPath);
                }
                run.placeFile(tempPath, finalPath);
            }
        } catch (IOException e) {
            throw DiskFullException.isNoSpace(e) ? new DiskFullException(workPath(), e) : e;
        }
        finished = true;
        run.onFileDone(this, finalPath);
    }

    private boolean partialAtFinal() {
        return partial.target().equals(finalPath);
    }

    private void setMode(Path file) throws IOException {
        if (mode >= 0) {
            Files.setPosixFilePermissions(file, FileModes.toPermissions(mode));
        }
    }

    /** Releases the open file without finishing (cancel, failure); what is committed stays for a resume. */
    synchronized void abandon() {
        try {
            if (partial != null && !finished) {
                partial.close();
            }
            if (small != null) {
                small.close();
            }
        } catch (IOException e) {
            run.log().debug("closing {}", workPath(), e);
        }
    }

    @Override
    public String toString() {
        return finalPath + " (" + hash + ", " + length + " bytes)";
    }
}
