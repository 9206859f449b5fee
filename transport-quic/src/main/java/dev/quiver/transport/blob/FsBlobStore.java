package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.BlobLimits;
import dev.quiver.codec.blob.RangeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blob store in a directory:
 * <pre>
 * root/data/&lt;hex hash&gt;      the blob's bytes, never modified once there
 * root/outboard/&lt;hex hash&gt;  its pre-order outboard ((groups - 1) * 64 bytes; empty for a one-group blob)
 * root/tmp/                  staging on the same file system, so the final renames are atomic
 * </pre>
 * An import copies the source into {@code tmp/} first and hashes the copy (so a source that changes during the
 * import cannot leave bytes that disagree with their name; a blob up to 1 MiB is read into memory once instead and
 * the bytes hashed are the bytes written), maps it, builds the root hash and the outboard on the
 * hashing executor ({@link OutboardBuilder}), fsyncs both, renames the outboard into place and then the data: a
 * blob is present exactly when its data file is, and then its outboard is complete. Leftovers in {@code tmp/} from a
 * crash are deleted when the store is opened. Thread-safe: all state is in the file system.
 */
public final class FsBlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(FsBlobStore.class);
    /** Blobs up to this size are imported through memory ({@link #importHeap}). */
    private static final long SMALL_IMPORT_BYTES = 1 << 20;
    private static final AtomicLong IMPORT_SEQ = new AtomicLong();

    private final Path dataDir;
    private final Path outboardDir;
    private final Path tmpDir;
    private final Executor hashExecutor;
    private final int parallelism;

    private FsBlobStore(Path root, Executor hashExecutor, int parallelism) throws IOException {
        this.dataDir = Files.createDirectories(root.resolve("data"));
        this.outboardDir = Files.createDirectories(root.resolve("outboard"));
        this.tmpDir = Files.createDirectories(root.resolve("tmp"));
        this.hashExecutor = Objects.requireNonNull(hashExecutor, "hashExecutor");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.parallelism = parallelism;
        try (var leftovers = Files.list(tmpDir)) {
            for (Path p : leftovers.toList()) {
                LOG.debug("deleting import leftover {}", p);
                Files.deleteIfExists(p);
            }
        }
    }

    /** The store in {@code root} (created if absent), hashing on the common pool with one task per core. */
    public static FsBlobStore open(Path root) throws IOException {
        return new FsBlobStore(root, ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors());
    }

    /** The store in {@code root}, hashing imports on {@code hashExecutor} cut for {@code parallelism} workers. */
    public static FsBlobStore open(Path root, Executor hashExecutor, int parallelism) throws IOException {
        return new FsBlobStore(root, hashExecutor, parallelism);
    }

    /** Where the data file of {@code hash} is (or would be). */
    public Path dataPath(BlobHash hash) {
        return dataDir.resolve(hash.toHex());
    }

    private Path outboardPath(BlobHash hash) {
        return outboardDir.resolve(hash.toHex());
    }

    @Override
    public boolean has(BlobHash hash) {
        return Files.isRegularFile(dataPath(hash));
    }

    @Override
    public long size(BlobHash hash) throws IOException {
        try {
            return Files.size(dataPath(hash));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(hash);
        }
    }

    @Override
    public RangeSource open(BlobHash hash) throws IOException {
        FileChannel data;
        try {
            data = FileChannel.open(dataPath(hash), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(hash);
        }
        try {
            long length = data.size();
            long expected = Blake3Tree.of(length).outboardSize();
            if (expected == 0) {
                // One group, no parents: nothing to read from the outboard (collections are mostly such files,
                // so this saves an open, a stat and a close per file served).
                return new FsRangeSource(hash, length, data, null);
            }
            FileChannel outboard = FileChannel.open(outboardPath(hash), StandardOpenOption.READ);
            long actual = outboard.size();
            if (actual != expected) {
                outboard.close();
                throw new IOException("outboard of " + hash + " is " + actual + " bytes, expected "
                        + expected + ": the store is damaged; re-import the blob");
            }
            return new FsRangeSource(hash, length, data, outboard);
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    @Override
    public BlobHash importFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = src.size();
            if (size <= SMALL_IMPORT_BYTES) {
                return importHeap(readWhole(src, file, size));
            }
        }
        Path tmpData = Files.createTempFile(tmpDir, "import-", ".data");
        try {
            Files.copy(file, tmpData, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return adopt(tmpData);
        } finally {
            Files.deleteIfExists(tmpData);
        }
    }

    @Override
    public BlobHash importBytes(byte[] bytes) throws IOException {
        if (bytes.length <= SMALL_IMPORT_BYTES) {
            return importHeap(bytes.clone());
        }
        Path tmpData = Files.createTempFile(tmpDir, "import-", ".data");
        try {
            Files.write(tmpData, bytes);
            return adopt(tmpData);
        } finally {
            Files.deleteIfExists(tmpData);
        }
    }

    /** All of a small file as read now; a file that grew since its size was taken is read to its end, capped. */
    private static byte[] readWhole(FileChannel src, Path file, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) size + 1);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = src.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        if (!buf.hasRemaining()) {
            throw new IOException(file + " grew while it was imported; import it again once it is written");
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    /**
     * Imports a small blob held in memory: hashed (root and outboard) on this thread, then data and outboard are
     * written once each under unique temporary names, fsynced and renamed into place as {@link #adopt} does. The
     * bytes hashed are the bytes written, so a source that changes meanwhile cannot leave a mislabelled blob; for
     * thousands of small files this skips the copy, the maps and the shared arena of the large-file path.
     */
    private BlobHash importHeap(byte[] bytes) throws IOException {
        long outboardSize = Blake3Tree.of(bytes.length).outboardSize();
        byte[] outboard = new byte[(int) outboardSize];
        BlobHash hash = new BlobHash(OutboardBuilder.build(MemorySegment.ofArray(bytes),
                MemorySegment.ofArray(outboard), Runnable::run, 1));
        if (has(hash)) {
            return hash;
        }
        String unique = "import-" + ProcessHandle.current().pid() + "-" + IMPORT_SEQ.incrementAndGet();
        Path tmpData = tmpDir.resolve(unique + ".data");
        Path tmpOutboard = tmpDir.resolve(unique + ".outboard");
        try {
            if (outboardSize > 0) {
                writeDurably(tmpOutboard, outboard);
                FileIo.atomicMove(tmpOutboard, outboardPath(hash), true);
            }
            writeDurably(tmpData, bytes);
            FileIo.atomicMove(tmpData, dataPath(hash), true);
            LOG.debug("imported blob {} ({} bytes)", hash, bytes.length);
            return hash;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpData);
            Files.deleteIfExists(tmpOutboard);
            throw e;
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileIo.writeFully(ch, ByteBuffer.wrap(bytes), 0);
            ch.force(true);
        }
    }

    /** Hashes the staged file, writes its outboard, and renames both into place (see the class comment). */
    private BlobHash adopt(Path tmpData) throws IOException {
        Path tmpOutboard = Files.createTempFile(tmpDir, "import-", ".outboard");
        try (FileChannel data = FileChannel.open(tmpData, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel outboard = FileChannel.open(tmpOutboard, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared()) {
            long length = data.size();
            if (length > BlobLimits.MAX_BLOB_LENGTH) {
                throw new IOException("file of " + length + " bytes exceeds the blob limit of "
                        + BlobLimits.MAX_BLOB_LENGTH);
            }
            long outboardSize = Blake3Tree.of(length).outboardSize();
            MemorySegment in = length == 0 ? MemorySegment.ofArray(new byte[0])
                    : data.map(FileChannel.MapMode.READ_ONLY, 0, length, arena);
            MemorySegment out = outboardSize == 0 ? MemorySegment.ofArray(new byte[0])
                    : outboard.map(FileChannel.MapMode.READ_WRITE, 0, outboardSize, arena);
            BlobHash hash = new BlobHash(OutboardBuilder.build(in, out, hashExecutor, parallelism));
            if (has(hash)) {
                return hash;
            }
            if (outboardSize > 0) {
                out.force();
            }
            data.force(true);
            outboard.force(true);
            FileIo.atomicMove(tmpOutboard, outboardPath(hash), true);
            FileIo.atomicMove(tmpData, dataPath(hash), true);
            LOG.debug("imported blob {} ({} bytes)", hash, length);
            return hash;
        } finally {
            Files.deleteIfExists(tmpOutboard);
        }
    }
}
