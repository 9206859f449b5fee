package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.InvalidManifestException.Reason;
import dev.quiver.codec.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CollectionTest {

    @TempDir
    Path dir;

    @Test
    void aNestedDirectoryRoundTripsWithModesAndNonAsciiNames() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("a/b/c"));
        Files.createDirectories(src.resolve("ünï/日本"));
        Files.write(src.resolve("top.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        Files.write(src.resolve("a/b/c/deep.bin"), BlobTestSupport.random(100_000, 1));
        Files.write(src.resolve("a/empty"), new byte[0]);
        Files.write(src.resolve("ünï/日本/ファイル.dat"), BlobTestSupport.random(40_000, 2));
        Files.write(src.resolve("a-b"), BlobTestSupport.random(10, 3));
        Files.setPosixFilePermissions(src.resolve("top.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(src.resolve("a/empty"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("/etc/passwd"));

        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        CollectionImporter.Result r = CollectionImporter.importDirectory(store, src);
        assertEquals(5, r.files(), "the symbolic link is skipped");
        assertEquals(5 + 100_000 + 40_000 + 10, r.totalBytes());

        Path out = dir.resolve("out");
        assertEquals(5, CollectionExporter.export(store, r.manifest(), out, false));
        for (String f : new String[] {"top.txt", "a/b/c/deep.bin", "a/empty", "ünï/日本/ファイル.dat", "a-b"}) {
            assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
            assertEquals(Files.getPosixFilePermissions(src.resolve(f)), Files.getPosixFilePermissions(out.resolve(f)),
                    f);
        }
        assertFalse(Files.exists(out.resolve("link")));
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> CollectionExporter.export(store, r.manifest(), out, false));
        assertEquals(5, CollectionExporter.export(store, r.manifest(), out, true));
    }

    private static byte[] rawManifest(BlobHash hash, long size, String... paths) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        b.put(new byte[] {'Q', 'V', 'C', 'M', 1});
        WireWriter w = new WireWriter(b);
        for (String p : paths) {
            byte[] pb = p.getBytes(StandardCharsets.UTF_8);
            w.writeVarint(pb.length);
            b.put(pb);
            w.writeVarint(size);
            b.put(hash.bytes());
            w.writeVarint(0644);
        }
        w.writeVarint(0).writeVarint(paths.length);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void maliciousManifestsWriteNothing() throws Exception {
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        BlobHash blob = store.importBytes("payload".getBytes(StandardCharsets.UTF_8));
        String[][] bad = {{"ok", "../escape"}, {"/abs"}, {"dup", "dup"}, {"a", "a/b"}, {"x//y"}, {"n\0ul"}};
        Reason[] reasons = {Reason.DOT_SEGMENT, Reason.ABSOLUTE_PATH, Reason.DUPLICATE, Reason.FILE_DIRECTORY_CLASH,
            Reason.EMPTY_SEGMENT, Reason.FORBIDDEN_CHARACTER};
        for (int i = 0; i < bad.length; i++) {
            BlobHash manifest = store.importBytes(rawManifest(blob, 7, bad[i]));
            Path out = dir.resolve("out" + i);
            InvalidManifestException e = assertThrows(InvalidManifestException.class,
                    () -> CollectionExporter.export(store, manifest, out, false));
            assertEquals(reasons[i], e.reason(), Arrays.toString(bad[i]));
            assertFalse(Files.exists(out), "nothing written for " + Arrays.toString(bad[i]));
        }
        assertFalse(Files.exists(dir.getParent().resolve("escape")));
        // A size that disagrees with the blob, or a blob the store lacks: refused before writing.
        BlobHash wrongSize = store.importBytes(rawManifest(blob, 8, "f"));
        assertThrows(IOException.class, () -> CollectionExporter.export(store, wrongSize, dir.resolve("o1"), false));
        BlobHash missing = store.importBytes(rawManifest(new BlobHash(new byte[32]), 7, "f"));
        assertThrows(BlobNotFoundException.class,
                () -> CollectionExporter.export(store, missing, dir.resolve("o2"), false));
        assertFalse(Files.exists(dir.resolve("o1")) || Files.exists(dir.resolve("o2")));
    }

    @Test
    void aSymbolicLinkInTheTargetIsNotFollowed() throws Exception {
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        BlobHash blob = store.importBytes("payload".getBytes(StandardCharsets.UTF_8));
        BlobHash manifest = store.importBytes(rawManifest(blob, 7, "sub/file"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("sub"), outside);
        IOException e = assertThrows(IOException.class, () -> CollectionExporter.export(store, manifest, out, false));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }
}
