package dev.quiver.tools.transfer;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.ManifestEntry;
import dev.quiver.codec.blob.ManifestReader;
import dev.quiver.codec.blob.ManifestWriter;
import dev.quiver.transport.blob.CollectionImporter;
import dev.quiver.transport.blob.FsBlobStore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * What {@code quiver send PATH} serves: always a collection, so the name travels with the bytes. A file becomes a
 * one-entry collection named after the file; a directory becomes a collection whose paths all start with the
 * directory's own name, so {@code recv -o DIR} writes {@code DIR/photos/...} as {@code scp -r} would.
 *
 * @param collection the manifest blob's hash (what the ticket names)
 * @param name the top-level name the receiver sees (the file or directory name)
 * @param files how many files the collection lists
 * @param totalBytes their total size
 */
public record SendSource(BlobHash collection, String name, long files, long totalBytes) {

    /** Imports {@code path} (a regular file or a directory) and its manifest into {@code store}. */
    public static SendSource importPath(FsBlobStore store, Path path) throws IOException, InvalidManifestException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !Files.exists(absolute)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        Path fileName = absolute.getFileName();
        if (fileName == null) {
            throw new IOException("cannot send " + path + " as a whole; name a directory below it");
        }
        String name = fileName.toString();
        if (Files.isDirectory(absolute)) {
            CollectionImporter.Result flat = CollectionImporter.importDirectory(store, absolute.toRealPath());
            BlobHash named = prefixed(store, flat.manifest(), name);
            return new SendSource(named, name, flat.files(), flat.totalBytes());
        }
        if (!Files.isRegularFile(absolute)) {
            throw new IOException(path + " is neither a regular file nor a directory");
        }
        BlobHash hash = store.importFile(absolute);
        long size = store.size(hash);
        int mode = mode(Files.getPosixFilePermissions(absolute));
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        ManifestWriter writer = new ManifestWriter(manifest);
        writer.add(new ManifestEntry(name, size, hash, mode));
        writer.finish();
        return new SendSource(store.importBytes(manifest.toByteArray()), name, 1, size);
    }

    /**
     * The manifest {@code manifest} with {@code prefix/} in front of every path, streamed through a temporary file
     * (a manifest may list 100 000 files). A common prefix keeps the canonical order.
     */
    private static BlobHash prefixed(FsBlobStore store, BlobHash manifest, String prefix)
            throws IOException, InvalidManifestException {
        Path tmp = Files.createTempFile("quiver-send-manifest-", ".bin");
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(store.dataPath(manifest)), 1 << 16);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                ManifestReader reader = new ManifestReader(in);
                ManifestWriter writer = new ManifestWriter(out);
                for (ManifestEntry e = reader.next(); e != null; e = reader.next()) {
                    writer.add(new ManifestEntry(prefix + "/" + e.path(), e.size(), e.hash(), e.mode()));
                }
                writer.finish();
            }
            return store.importFile(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The permission bits as an octal mode ({@code rwxr-x---} is 0750), as a manifest stores them. */
    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        // PosixFilePermission's constants run from OWNER_READ (bit 8) down to OTHERS_EXECUTE (bit 0).
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
