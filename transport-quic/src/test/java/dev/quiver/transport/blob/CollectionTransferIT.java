package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.codec.blob.InvalidManifestException.Reason;
import dev.quiver.codec.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collections over the network: many files, hostile manifests, existing targets. */
class CollectionTransferIT {

    @TempDir
    Path dir;
    @RegisterExtension
    final TransferFixture fx = new TransferFixture();

    @Test
    // Creating, importing and comparing 2 x 10 000 files is most of it; a few seconds on an idle machine.
    @Timeout(60)
    void tenThousandSmallFilesInNestedDirectoriesArrive() throws Exception {
        Path ram = fx.ramDir(dir, "many");
        Path src = ram.resolve("src");
        Random rnd = new Random(5);
        byte[] pool = new byte[1 << 20];
        rnd.nextBytes(pool);
        for (int i = 0; i < 10_000; i++) {
            Path f = src.resolve("d" + (i % 37)).resolve("e" + (i % 11)).resolve("file-" + i + ".bin");
            Files.createDirectories(f.getParent());
            int size = rnd.nextInt(8193);
            Files.write(f, Arrays.copyOfRange(pool, i * 97, i * 97 + size));
        }
        MemoryBlobStore store = new MemoryBlobStore();
        CollectionImporter.Result imported = CollectionImporter.importDirectory(store, src);
        TransferFixture.Served p = fx.serve(store);

        Path out = ram.resolve("out");
        long t0 = System.nanoTime();
        TransferResult r = TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false), 50);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LoggerFactory.getLogger(CollectionTransferIT.class).info("10 000 files, {} bytes: {} s",
                imported.totalBytes(), String.format("%.2f", seconds));
        assertEquals(10_000, r.paths().size());
        assertEquals(TransferFixture.tree(src), TransferFixture.tree(out));
        assertTrue(p.provider().stats().requests() >= 10_000, "one request per non-empty file at least");
    }

    @Test
    @Timeout(30)
    void hostileManifestsAreRejectedBeforeAnythingIsWritten() throws Exception {
        MemoryBlobStore store = new MemoryBlobStore();
        BlobHash blob = store.importBytes("payload".getBytes(StandardCharsets.UTF_8));
        TransferFixture.Served p = fx.serve(store);
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
        String[][] bad = {{"a", "b/../../escape"}, {"/etc/evil"}, {"a", "f", "f"}, {"a", "..", "z"}};
        Reason[] reasons = {Reason.DOT_SEGMENT, Reason.ABSOLUTE_PATH, Reason.DUPLICATE, Reason.DOT_SEGMENT};
        for (int i = 0; i < bad.length; i++) {
            BlobHash manifest = store.importBytes(rawManifest(blob, 7, bad[i]));
            Path out = dir.resolve("out" + i);
            Transfer t = d.fetchCollection(manifest, List.of(p.ticket()), out, false);
            InvalidManifestException e = assertThrows(InvalidManifestException.class,
                    () -> TransferFixture.await(t, 25));
            assertEquals(reasons[i], e.reason(), Arrays.toString(bad[i]));
            assertFalse(Files.exists(out), "nothing written for " + Arrays.toString(bad[i]));
        }
        assertFalse(Files.exists(dir.resolve("escape")));
        assertFalse(Files.exists(dir.getParent().resolve("escape")));

        // Into an existing directory: it is left exactly as it was.
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(existing.resolve("keep"), "mine");
        BlobHash dup = store.importBytes(rawManifest(blob, 7, "a", "a"));
        assertThrows(InvalidManifestException.class, () -> TransferFixture.await(
                d.fetchCollection(dup, List.of(p.ticket()), existing, false), 25));
        try (Stream<Path> s = Files.list(existing)) {
            assertEquals(List.of(existing.resolve("keep")), s.toList());
        }
    }

    @Test
    @Timeout(30)
    void aHundredThousandEntryManifestStreamsAndIsCheckedToTheEnd() throws Exception {
        MemoryBlobStore store = new MemoryBlobStore();
        BlobHash blob = store.importBytes("payload".getBytes(StandardCharsets.UTF_8));
        String[] paths = new String[100_001];
        for (int i = 0; i < 100_000; i++) {
            paths[i] = String.format("dir%03d/file%06d", i / 1000, i);
        }
        paths[100_000] = paths[99_999]; // the very last entry is a duplicate
        TransferFixture.Served p = fx.serve(store);
        BlobHash manifest = store.importBytes(rawManifest(blob, 7, paths));
        Path out = dir.resolve("out");
        InvalidManifestException e = assertThrows(InvalidManifestException.class, () -> TransferFixture.await(
                fx.downloader(DownloadOptions.DEFAULT).fetchCollection(manifest, List.of(p.ticket()), out, false),
                25));
        assertEquals(Reason.DUPLICATE, e.reason());
        assertFalse(Files.exists(out));
    }

    @Test
    @Timeout(30)
    void anExistingDifferentFileStopsTheCollectionBeforeAnyFileIsWritten() throws Exception {
        Path src = dir.resolve("src");
        TransferFixture.randomFile(src.resolve("a"), 1000, 1);
        TransferFixture.randomFile(src.resolve("b"), 1000, 2);
        MemoryBlobStore store = new MemoryBlobStore();
        CollectionImporter.Result imported = CollectionImporter.importDirectory(store, src);
        TransferFixture.Served p = fx.serve(store);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("b"), "mine");
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
        TargetExistsException e = assertThrows(TargetExistsException.class, () -> TransferFixture.await(
                d.fetchCollection(imported.manifest(), List.of(p.ticket()), out, false), 25));
        assertTrue(e.getMessage().contains("b"), e.getMessage());
        assertFalse(Files.exists(out.resolve("a")));
        assertEquals("mine", Files.readString(out.resolve("b")));
        // With replace the collection goes through and overwrites.
        TransferFixture.await(d.fetchCollection(imported.manifest(), List.of(p.ticket()), out, true), 25);
        assertEquals(TransferFixture.tree(src), TransferFixture.tree(out));
    }

    @Test
    @Timeout(30)
    void aLinkOrFileWhereADirectoryGoesIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        MemoryBlobStore store = new MemoryBlobStore();
        BlobHash blob = store.importBytes("payload".getBytes(StandardCharsets.UTF_8));
        BlobHash manifest = store.importBytes(rawManifest(blob, 7, "a", "sub/deeper/file"));
        TransferFixture.Served p = fx.serve(store);
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path nowhere = dir.resolve("nowhere");
        String[] expected = {"symbolic link", "symbolic link", "not a directory"};
        for (int i = 0; i < expected.length; i++) {
            Path out = Files.createDirectories(dir.resolve("out" + i));
            switch (i) {
                case 0 -> Files.createSymbolicLink(out.resolve("sub"), outside);
                case 1 -> Files.createSymbolicLink(out.resolve("sub"), nowhere);
                default -> Files.writeString(out.resolve("sub"), "mine");
            }
            Transfer t = d.fetchCollection(manifest, List.of(p.ticket()), out, false);
            Exception e = assertThrows(Exception.class, () -> TransferFixture.await(t, 25));
            assertTrue(e.getMessage().contains(expected[i]), i + ": " + e);
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written through the link");
        }
        assertFalse(Files.exists(nowhere, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the dangling link not followed");
        assertEquals("mine", Files.readString(dir.resolve("out2/sub")));
    }

    /** A manifest written by hand, so it can break the rules the writer enforces. */
    static byte[] rawManifest(BlobHash hash, long size, String... paths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8 + 4096 + 8 + 32 + 8);
        out.writeBytes(new byte[] {'Q', 'V', 'C', 'M', 1});
        AtomicLong n = new AtomicLong();
        for (String p : paths) {
            b.clear();
            WireWriter w = new WireWriter(b);
            byte[] pb = p.getBytes(StandardCharsets.UTF_8);
            w.writeVarint(pb.length);
            b.put(pb);
            w.writeVarint(size);
            b.put(hash.bytes());
            w.writeVarint(0644);
            out.write(b.array(), 0, b.position());
            n.incrementAndGet();
        }
        b.clear();
        new WireWriter(b).writeVarint(0).writeVarint(n.get());
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }
}
