package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.BlobLimits;
import dev.quiver.codec.blob.GroupSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * A download in progress on disk, resumable after any interruption including {@code kill -9}:
 * <pre>
 * TARGET.quiver-part    the blob's bytes at their offsets (sparse: missing groups are holes)
 * TARGET.quiver-bitmap  which groups are verified and durable ({@link VerifiedBitmap})
 * </pre>
 * Only groups a {@link dev.quiver.codec.blob.VerifiedRangeDecoder} has verified are written ({@link #accept}).
 *
 * <p><b>Crash safety.</b> {@link #commit()} first fsyncs the data file, then replaces the bitmap atomically (write
 * a temporary file, fsync it, rename it over the old one, fsync the directory). So the bitmap on disk only ever
 * names groups whose bytes were durable before it was written; a kill at any point leaves the old or the new
 * bitmap, never a torn one (the checksum would catch that anyway). Groups written after the last commit are
 * simply fetched again. We chose the atomic replace over an append-only log: it needs no replay or compaction, and
 * its cost (the whole bitmap, 32 KiB for 4 GiB) is paid once per commit, which callers batch (say every 8 MiB or
 * every second), so it is small next to the data fsync it follows.
 *
 * <p>{@link #finish} renames the part file to TARGET atomically, so TARGET never holds a half file.
 *
 * <p>Thread-safe: several downloader threads may write disjoint groups at once ({@link #acceptRun}: positional
 * writes, then the bits under this object's lock) while one of them commits.
 */
public final class PartialBlob implements GroupSink, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartialBlob.class);
    static final String PART_SUFFIX = ".quiver-part";
    static final String BITMAP_SUFFIX = ".quiver-bitmap";

    private final Path target;
    private final Path partPath;
    private final Path bitmapPath;
    private final BlobHash hash;
    private final long length;
    private final Blake3Tree tree;
    private final FileChannel data;
    /** Verified this run or earlier; groups here but not in {@link #durable} are lost on a crash. */
    private final VerifiedBitmap verified;
    private VerifiedBitmap durable;
    private boolean dirty;
    private final Object commitLock = new Object();

    private PartialBlob(Path target, BlobHash hash, long length, FileChannel data, VerifiedBitmap durable) {
        this.target = target;
        this.partPath = sibling(target, PART_SUFFIX);
        this.bitmapPath = sibling(target, BITMAP_SUFFIX);
        this.hash = hash;
        this.length = length;
        this.tree = Blake3Tree.of(length);
        this.data = data;
        this.durable = durable;
        this.verified = durable.copy();
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    /**
     * Resumes the download of {@code hash} ({@code length} bytes, from a verified source) into {@code target}, or
     * starts it. A bitmap left by a download of another blob or length is a {@link PartialBlobException} (delete
     * it or pick another target); a damaged bitmap is dropped and the download starts over.
     */
    public static PartialBlob open(Path target, BlobHash hash, long length) throws IOException {
        Objects.requireNonNull(hash, "hash");
        if (length < 0 || length > BlobLimits.MAX_BLOB_LENGTH) {
            throw new IllegalArgumentException("length out of [0, " + BlobLimits.MAX_BLOB_LENGTH + "]: " + length);
        }
        long groups = Blake3Tree.of(length).groupCount();
        Path part = sibling(target, PART_SUFFIX);
        Path bitmap = sibling(target, BITMAP_SUFFIX);
        VerifiedBitmap durable = new VerifiedBitmap(groups);
        boolean partExists = Files.isRegularFile(part);
        if (Files.isRegularFile(bitmap) && partExists) {
            // Another blob's bitmap is at most fileSize(MAX groups); anything larger is damage, never read whole.
            long size = Files.size(bitmap);
            VerifiedBitmap read = null;
            if (size <= VerifiedBitmap.fileSize((BlobLimits.MAX_BLOB_LENGTH >>> 10) + 1)) {
                try {
                    read = VerifiedBitmap.fromBytes(Files.readAllBytes(bitmap), hash, length, groups);
                } catch (PartialBlobException e) {
                    throw new PartialBlobException(target + ": " + e.getMessage() + "; delete " + bitmap + " and "
                            + part + " or choose another target");
                }
            }
            if (read == null) {
                LOG.warn("{} is damaged ({} bytes, checksum or size wrong); starting the download over", bitmap, size);
            } else {
                durable = read;
            }
        }
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (ch.size() > length) {
                ch.truncate(length);
            }
            if (ch.size() < length) {
                // Extends sparsely: a hole costs no disk until written.
                FileIo.writeFully(ch, ByteBuffer.wrap(new byte[1]), length - 1);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        LOG.debug("{}: {} of {} groups already verified", target, durable.setCount(), groups);
        return new PartialBlob(target, hash, length, ch, durable);
    }

    /** Where the finished blob goes. */
    public Path target() {
        return target;
    }

    /** The blob being downloaded. */
    public BlobHash hash() {
        return hash;
    }

    /** Its length in bytes. */
    public long length() {
        return length;
    }

    /** Its number of 16 KiB groups. */
    public long groupCount() {
        return tree.groupCount();
    }

    /** Whether group {@code group} is verified and written (this run or a committed earlier one). */
    public synchronized boolean isVerified(long group) {
        return verified.get(group);
    }

    /** Verified bytes so far. */
    public synchronized long verifiedBytes() {
        long bytes = verified.setCount() * tree.groupSize();
        long last = tree.groupCount() - 1;
        if (verified.get(last)) {
            bytes -= tree.groupSize() - tree.groupLength(last);
        }
        return bytes;
    }

    /** The runs of groups still to fetch, ascending: what the next request (or the next run) asks for. */
    public synchronized List<GroupRange> missingRanges() {
        return verified.missing();
    }

    /**
     * Writes verified group {@code groupIndex}; durable only after the next {@link #commit()}. The decoder calls
     * this for each group it has verified against the root hash.
     */
    @Override
    public void accept(long groupIndex, long offset, byte[] bytes, int off, int len) throws IOException {
        if (offset != tree.groupOffset(groupIndex) || len != tree.groupLength(groupIndex)) {
            throw new IllegalArgumentException("group " + groupIndex + " is " + tree.groupLength(groupIndex)
                    + " bytes at " + tree.groupOffset(groupIndex) + ", not " + len + " at " + offset);
        }
        if (isVerified(groupIndex)) {
            return;
        }
        FileIo.writeFully(data, ByteBuffer.wrap(bytes, off, len), offset);
        synchronized (this) {
            verified.set(groupIndex);
            dirty = true;
        }
    }

    /**
     * Writes the verified groups {@code [firstGroup, firstGroup + groupCount)}, contiguous in {@code run} (whose
     * remaining bytes must be exactly their lengths), in one positional write; durable after the next
     * {@link #commit()}. Safe to call from several threads for disjoint groups. Returns how many of the groups
     * were not verified before.
     */
    public int acceptRun(long firstGroup, int groupCount, ByteBuffer run) throws IOException {
        if (firstGroup < 0 || groupCount < 1 || firstGroup + groupCount > tree.groupCount()) {
            throw new IllegalArgumentException("groups [" + firstGroup + ", +" + groupCount + ") outside [0, "
                    + tree.groupCount() + ")");
        }
        long last = firstGroup + groupCount - 1;
        long bytes = tree.groupOffset(last) + tree.groupLength(last) - tree.groupOffset(firstGroup);
        if (run.remaining() != bytes) {
            throw new IllegalArgumentException(groupCount + " groups from " + firstGroup + " are " + bytes
                    + " bytes, got " + run.remaining());
        }
        FileIo.writeFully(data, run, tree.groupOffset(firstGroup));
        synchronized (this) {
            long before = verified.setCount();
            for (long g = firstGroup; g <= last; g++) {
                verified.set(g);
            }
            dirty = true;
            return (int) (verified.setCount() - before);
        }
    }

    /** Makes every group written so far durable and records it in the bitmap (see the class comment). */
    public void commit() throws IOException {
        synchronized (commitLock) {
            VerifiedBitmap snapshot;
            synchronized (this) {
                if (!dirty) {
                    return;
                }
                // Snapshot before the fsync: every group in it was written before, so the fsync covers it.
                snapshot = verified.copy();
                dirty = false;
            }
            try {
                writeBitmap(snapshot);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    dirty = true;
                }
                throw e;
            }
        }
    }

    private void writeBitmap(VerifiedBitmap snapshot) throws IOException {
        data.force(false);
        Path tmp = sibling(target, BITMAP_SUFFIX + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileIo.writeFully(ch, ByteBuffer.wrap(snapshot.toBytes(hash, length)), 0);
            ch.force(true);
        }
        FileIo.atomicMove(tmp, bitmapPath, true);
        synchronized (this) {
            durable = snapshot;
        }
    }

    /**
     * Completes the download: every group must be verified; makes the data durable and renames it to the target
     * atomically (refusing an existing target unless {@code replace}), then removes the bitmap. Closes this.
     */
    public synchronized Path finish(boolean replace) throws IOException {
        if (!verified.isFull()) {
            throw new PartialBlobException(target + ": " + (tree.groupCount() - verified.setCount())
                    + " groups still missing, first run " + verified.missing().getFirst());
        }
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "target exists; pass replace to overwrite");
        }
        data.force(true);
        data.close();
        FileIo.atomicMove(partPath, target, replace);
        // A crash here leaves a stale bitmap without a part file; open() then starts over, never trusting it.
        Files.deleteIfExists(bitmapPath);
        LOG.debug("{}: complete, {} bytes", target, length);
        return target;
    }

    /** Commits nothing; closes the data file (call {@link #commit()} first to keep the latest groups). */
    @Override
    public void close() throws IOException {
        data.close();
    }

    /** The number of groups recorded on disk, for tests and status. */
    synchronized long durableGroups() {
        return durable.setCount();
    }
}
