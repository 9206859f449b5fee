package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.ManifestEntry;
import dev.quiver.codec.blob.ManifestReader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * A collection download into a directory. The manifest is fetched like any blob, into
 * {@code DIR/.quiver-partial/manifest-HASH}, then read twice from disk, never held whole in memory:
 * <ol>
 *   <li>{@link #validate()}: every path, the order (so duplicates), the caps, and each target: a file already
 *       there with the listed size and hash counts as done (a resumed run), any other existing file is a
 *       {@link TargetExistsException} unless replacing. All before a single file is written; a bad manifest
 *       is deleted again with the partial directory.</li>
 *   <li>{@link #feed}: one {@link FileJob} per file as the queue runs dry, temporary files in
 *       {@code .quiver-partial} (small files plain, larger ones resumable with a bitmap), each renamed to its
 *       final name once verified.</li>
 * </ol>
 * Driven by the transfer's coordinator (open, validate) and under the queue's lock (feed).
 */
final class CollectionPlan {

    static final String PARTIAL_DIR = ".quiver-partial";
    private static final byte[] EMPTY_HASH = Blake3.hash(new byte[0]);
    private static final long SMALL_HASH_BYTES = 1 << 20;

    private final TransferRun run;
    private final Path dir;
    private final BlobHash manifestHash;
    private final boolean replace;
    private Path root;
    private Path partialDir;
    private Path manifestFile;
    private boolean createdDir;
    private boolean createdPartialDir;
    private long entries;
    private long totalBytes;
    private final BitSet present = new BitSet();
    private Path checkedParent;
    private boolean parentMissing;
    private ManifestReader feedReader;
    private InputStream feedStream;
    private int feedIndex;
    private Path fedParent;

    CollectionPlan(TransferRun run, Path dir, BlobHash manifestHash, boolean replace) {
        this.run = run;
        this.dir = dir;
        this.manifestHash = manifestHash;
        this.replace = replace;
    }

    Path root() {
        return root;
    }

    long entries() {
        return entries;
    }

    long totalBytes() {
        return totalBytes;
    }

    /**
     * Prepares the directories and the manifest's download; returns its job, or null if the manifest is already
     * on disk from an earlier run (and hashes right).
     */
    FileJob openManifest(List<ProviderWorker> workers, DownloadOptions options) throws Exception {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TargetExistsException(dir);
        }
        createdDir = !Files.exists(dir);
        Files.createDirectories(dir);
        root = dir.toRealPath();
        partialDir = root.resolve(PARTIAL_DIR);
        createdPartialDir = !Files.exists(partialDir);
        Files.createDirectories(partialDir);
        manifestFile = partialDir.resolve("manifest-" + manifestHash.toHex());
        if (Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)
                && manifestHash.equals(hashFile(manifestFile))) {
            return null;
        }
        Probe.Result probe = Probe.run(run, workers, manifestHash, options);
        PartialBlob partial = PartialBlob.open(manifestFile, manifestHash, probe.length());
        FileJob job = FileJob.resumable(run, partial, manifestFile, -1);
        run.addJob(job);
        run.setManifestJob(job);
        run.startJob(job, probe);
        return job;
    }

    /** Pass 1: checks the whole manifest and every target before anything is written (see the class comment). */
    void validate() throws IOException, InvalidManifestException {
        try (InputStream in = Files.newInputStream(manifestFile)) {
            ManifestReader reader = new ManifestReader(in);
            int i = 0;
            for (ManifestEntry e = reader.next(); e != null; e = reader.next(), i++) {
                if (e.size() == 0 && !java.util.Arrays.equals(e.hash().bytes(), EMPTY_HASH)) {
                    throw new InvalidManifestException(InvalidManifestException.Reason.MALFORMED, e.path()
                            + ": size 0 with the hash of non-empty content");
                }
                if (e.path().equals(PARTIAL_DIR) || e.path().startsWith(PARTIAL_DIR + "/")) {
                    throw new InvalidManifestException(InvalidManifestException.Reason.FORBIDDEN_CHARACTER, e.path()
                            + ": the name " + PARTIAL_DIR + " is reserved for downloads in progress");
                }
                checkTarget(i, e);
                totalBytes += e.size();
            }
            entries = reader.count();
        } catch (InvalidManifestException e) {
            discard();
            throw e;
        }
    }

    private void checkTarget(int index, ManifestEntry e) throws IOException {
        Path target = root.resolve(e.path());
        Path parent = target.getParent();
        // Entries come sorted, so a directory's files are neighbours: one probe of a missing directory answers
        // for all of them. It follows links (access(2)): a no-follow probe of a missing path is a thrown exception
        // inside the JDK. A dangling link in the way counts as missing here and is refused when the directory is
        // made (CollectionExporter.makeParents), before any file of it is fetched.
        if (!parent.equals(checkedParent)) {
            checkedParent = parent;
            parentMissing = !Files.exists(parent);
        }
        if (parentMissing || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == e.size()
                && e.hash().equals(hashFile(target))) {
            present.set(index);
            return;
        }
        if (!replace || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new TargetExistsException(target);
        }
    }

    /** Pass 2, one file per call (under the queue's lock): returns false after the last. */
    boolean feed(WorkQueue queue) {
        try {
            if (feedReader == null) {
                feedStream = Files.newInputStream(manifestFile);
                feedReader = new ManifestReader(feedStream);
            }
            ManifestEntry e = feedReader.next();
            if (e == null) {
                closeFeed();
                return false;
            }
            int i = feedIndex++;
            Path target = root.resolve(e.path());
            if (present.get(i)) {
                run.onFileAlreadyPresent(target, e.size());
                return true;
            }
            // Entries are sorted, so a directory's files are neighbours: it is made once, here, in manifest order.
            Path parent = target.getParent();
            if (!parent.equals(fedParent)) {
                run.prepareDirectory(root, parent);
                fedParent = parent;
            }
            if (e.size() <= FileJob.SMALL_FILE_BYTES) {
                FileJob job = FileJob.small(run, e.hash(), e.size(), partialDir.resolve(i + ".part"), target,
                        e.mode());
                run.addJob(job);
                if (e.size() == 0) {
                    job.writeRun(0, 1, ByteBuffer.allocate(0));
                } else {
                    queue.add(new WorkQueue.Range(job, 0, Blake3Tree.of(e.size()).groupCount()));
                }
                return true;
            }
            PartialBlob partial = PartialBlob.open(partialDir.resolve("f" + i), e.hash(), e.size());
            FileJob job = FileJob.resumable(run, partial, target, e.mode());
            run.onResumed(job.bytesAlreadyVerified());
            run.addJob(job);
            run.startJob(job, null);
            return true;
        } catch (IOException | InvalidManifestException | RuntimeException ex) {
            // Not here: this runs under the queue's lock, and failing takes the workers' locks.
            Thread.ofVirtual().start(() -> run.fail(ex));
            return false;
        }
    }

    private void closeFeed() throws IOException {
        if (feedStream != null) {
            feedStream.close();
            feedStream = null;
        }
    }

    /** After success: the manifest copy and the (now empty) partial directory go. */
    void cleanUp() throws IOException {
        closeFeed();
        Files.deleteIfExists(manifestFile);
        try (var left = Files.list(partialDir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(partialDir);
            }
        }
    }

    /** After a failure or cancel: keeps the partial files for a resume. */
    void abandon() {
        try {
            closeFeed();
        } catch (IOException e) {
            run.log().debug("closing the manifest", e);
        }
    }

    /** A manifest that must not be used: remove it and whatever this run created, leaving the directory as found. */
    private void discard() throws IOException {
        Files.deleteIfExists(manifestFile);
        for (Path p : List.of(manifestFile.resolveSibling(manifestFile.getFileName() + PartialBlob.BITMAP_SUFFIX),
                manifestFile.resolveSibling(manifestFile.getFileName() + PartialBlob.PART_SUFFIX))) {
            Files.deleteIfExists(p);
        }
        if (createdPartialDir) {
            Files.deleteIfExists(partialDir);
        }
        if (createdDir) {
            Files.deleteIfExists(root);
        }
    }

    /** The BLAKE3 hash of a file on disk (memory-mapped, so a large file is not read into the heap). */
    static BlobHash hashFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size == 0) {
                return new BlobHash(EMPTY_HASH);
            }
            if (size <= SMALL_HASH_BYTES) {
                // A map costs more than a read for small files, and collections are mostly small files.
                ByteBuffer buf = ByteBuffer.allocate((int) size);
                FileIo.readFully(ch, buf, 0);
                return new BlobHash(Blake3.hash(buf.array()));
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new BlobHash(Blake3.hash(seg));
        }
    }
}
