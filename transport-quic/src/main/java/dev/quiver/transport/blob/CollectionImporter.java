package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.ManifestEntry;
import dev.quiver.codec.blob.ManifestPaths;
import dev.quiver.codec.blob.ManifestWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Turns a directory into a collection: every regular file is imported as a blob, and a manifest blob (relative
 * paths in canonical order, sizes, hashes, modes; {@link ManifestWriter}) names them. Symbolic links and other
 * non-regular files are skipped with a warning (a link could point outside the directory). The walk keeps the
 * relative paths in memory to sort them; files are imported on up to 4 threads; the manifest itself is streamed to a
 * temporary file in order. Stateless.
 */
public final class CollectionImporter {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionImporter.class);
    private static final int IMPORT_THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    /** Imports running ahead of the manifest writer: bounds what waits in memory (entries, not file data). */
    private static final int IMPORT_WINDOW = 256;

    /**
     * What an import produced.
     *
     * @param manifest the manifest blob's hash: the collection's name
     * @param files how many files it lists
     * @param totalBytes their total size
     */
    public record Result(BlobHash manifest, long files, long totalBytes) { }

    private CollectionImporter() {
    }

    private static ManifestEntry importOne(BlobStore store, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        BlobHash hash = store.importFile(file);
        long size = store.size(hash);
        int mode = FileModes.toMode(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
        return new ManifestEntry(name, size, hash, mode);
    }

    /** Waits for one import and appends its entry; returns its size. */
    private static long add(ManifestWriter writer, Future<ManifestEntry> pending)
            throws IOException, InvalidManifestException {
        ManifestEntry e;
        try {
            e = pending.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("import interrupted");
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof IOException io) {
                throw io;
            }
            if (ee.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(ee.getCause());
        }
        writer.add(e);
        return e.size();
    }

    /** Imports every regular file under {@code dir} and the manifest into {@code store}. */
    public static Result importDirectory(BlobStore store, Path dir) throws IOException, InvalidManifestException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        List<byte[]> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warn("skipping {}: not a regular file", p);
                    continue;
                }
                StringBuilder rel = new StringBuilder();
                for (Path seg : dir.relativize(p)) {
                    rel.append(rel.isEmpty() ? "" : "/").append(seg);
                }
                paths.add(ManifestPaths.encode(rel.toString()));
            }
        }
        paths.sort(ManifestPaths::compare);
        Path manifestFile = Files.createTempFile("quiver-manifest-", ".bin");
        long total = 0;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(manifestFile), 64 * 1024);
                 ExecutorService pool = Executors.newFixedThreadPool(IMPORT_THREADS,
                         Thread.ofPlatform().daemon().name("quiver-import-", 0).factory())) {
                ManifestWriter writer = new ManifestWriter(out);
                // Files are imported on several threads (each one is a few syscalls and a hash, so one thread
                // leaves cores idle), a bounded window ahead of the writer, which takes them in manifest order.
                ArrayDeque<Future<ManifestEntry>> window = new ArrayDeque<>();
                for (byte[] rel : paths) {
                    String name = ManifestPaths.decode(rel);
                    window.add(pool.submit(() -> importOne(store, dir, name)));
                    if (window.size() >= IMPORT_WINDOW) {
                        total += add(writer, window.poll());
                    }
                }
                while (!window.isEmpty()) {
                    total += add(writer, window.poll());
                }
                writer.finish();
            }
            BlobHash manifest = store.importFile(manifestFile);
            LOG.debug("collection {}: {} files, {} bytes", manifest, paths.size(), total);
            return new Result(manifest, paths.size(), total);
        } finally {
            Files.deleteIfExists(manifestFile);
        }
    }
}
