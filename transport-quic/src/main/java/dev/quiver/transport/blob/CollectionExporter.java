package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.ManifestEntry;
import dev.quiver.codec.blob.ManifestReader;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a collection from a store into a directory. The whole manifest is read and checked first
 * ({@link #check}: every path, the order, the caps, and that the store holds every blob at its listed size), so
 * a bad manifest is refused before a single file is written. Each file is then copied to a temporary name next
 * to its target and renamed into place atomically, with its mode. Parent directories are created as needed; an
 * existing parent that is a symbolic link is refused, so a prepared target directory cannot redirect a write
 * outside it. Stateless.
 */
public final class CollectionExporter {

    private CollectionExporter() {
    }

    /**
     * Reads the manifest {@code manifest} to its end and checks it against the store; returns the number of
     * entries. Throws {@link InvalidManifestException} for a bad manifest, {@link BlobNotFoundException} or a
     * size mismatch for a missing or different blob.
     */
    public static long check(BlobStore store, BlobHash manifest) throws IOException, InvalidManifestException {
        try (BlobInputStream in = new BlobInputStream(store.open(manifest))) {
            ManifestReader reader = new ManifestReader(in);
            for (ManifestEntry e = reader.next(); e != null; e = reader.next()) {
                long size = store.size(e.hash());
                if (size != e.size()) {
                    throw new IOException(e.path() + ": manifest says " + e.size() + " bytes, blob " + e.hash()
                            + " has " + size);
                }
            }
            return reader.count();
        }
    }

    /**
     * Checks the manifest ({@link #check}), then writes every file under {@code targetDir}; an existing file is
     * refused ({@link FileAlreadyExistsException}) unless {@code replace}. Returns the number of files.
     */
    public static long export(BlobStore store, BlobHash manifest, Path targetDir, boolean replace)
            throws IOException, InvalidManifestException {
        long count = check(store, manifest);
        Files.createDirectories(targetDir);
        Path root = targetDir.toRealPath();
        try (BlobInputStream in = new BlobInputStream(store.open(manifest))) {
            ManifestReader reader = new ManifestReader(in);
            for (ManifestEntry e = reader.next(); e != null; e = reader.next()) {
                writeFile(store, e, root, replace);
            }
        }
        return count;
    }

    private static void writeFile(BlobStore store, ManifestEntry e, Path root, boolean replace) throws IOException {
        Path target = root.resolve(e.path());
        Path parent = target.getParent();
        makeParents(root, parent);
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path tmp = Files.createTempFile(parent, ".quiver-", ".tmp");
        try {
            try (BlobInputStream in = new BlobInputStream(store.open(e.hash()))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(tmp, FileModes.toPermissions(e.mode()));
            FileIo.atomicMove(tmp, target, replace);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates the directories from {@code root} down to {@code dir}, refusing any that is a link or a file. Written
     * without no-follow probes of missing paths: the JDK answers those by throwing and catching an exception, one
     * per new directory; a path that is not a directory is instead found by the {@code mkdir} that fails on it.
     */
    static void makeParents(Path root, Path dir) throws IOException {
        Path p = root;
        for (Path seg : root.relativize(dir)) {
            p = p.resolve(seg);
            if (Files.isDirectory(p)) {
                // A directory, or a link to one (the second probe only runs on existing paths).
                if (Files.isSymbolicLink(p)) {
                    throw new IOException(p + " is a symbolic link; refusing to write through it");
                }
                continue;
            }
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // A file, a link to one, or a dangling link.
                throw new IOException(p + (Files.isSymbolicLink(p) ? " is a symbolic link; refusing to write "
                        + "through it" : " is not a directory"), e);
            }
        }
    }
}
