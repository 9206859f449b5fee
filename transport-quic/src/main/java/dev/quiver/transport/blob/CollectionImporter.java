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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a directory into a collection: every regular file is imported as a blob, and a manifest blob (relative
 * paths in canonical order, sizes, hashes, modes; {@link ManifestWriter}) names them. Symbolic links and other
 * non-regular files are skipped with a warning (a link could point outside the directory). The walk keeps the
 * relative paths in memory to sort them; the manifest itself is streamed to a temporary file. Stateless.
 */
public final class CollectionImporter {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionImporter.class);

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
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(manifestFile), 64 * 1024)) {
                ManifestWriter writer = new ManifestWriter(out);
                for (byte[] rel : paths) {
                    String name = ManifestPaths.decode(rel);
                    Path file = dir.resolve(name);
                    BlobHash hash = store.importFile(file);
                    long size = store.size(hash);
                    int mode = FileModes.toMode(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
                    writer.add(new ManifestEntry(name, size, hash, mode));
                    total += size;
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
