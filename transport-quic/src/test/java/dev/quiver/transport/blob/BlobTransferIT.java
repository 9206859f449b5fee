package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blobs and collections between real nodes over QUIC on loopback, into real files. */
class BlobTransferIT {

    @TempDir
    Path dir;
    @RegisterExtension
    final TransferFixture fx = new TransferFixture();

    @Test
    @Timeout(30)
    void aFileArrivesVerifiedAndTheProviderHearsItIsDone() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src.bin"), 5 * 1024 * 1024 + 12345, 1);
        BlobHash hash = store.importFile(src);
        TransferFixture.Served p = fx.serve(store);
        List<DownloadComplete> done = new CopyOnWriteArrayList<>();
        p.provider().onDownloadComplete(done::add);
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);

        Path out = dir.resolve("out.bin");
        Transfer t = d.fetchBlob(hash, List.of(p.ticket()), out, false);
        TransferResult r = TransferFixture.await(t, 25);

        TransferFixture.assertSameFile(src, out);
        assertEquals(List.of(out.toAbsolutePath()), r.paths());
        assertEquals(Files.size(src), r.totalBytes());
        assertEquals(Files.size(src), r.bytesFetched());
        assertEquals(List.of(p.node().nodeId()), r.providersUsed());
        assertTrue(r.providersDropped().isEmpty());
        assertFalse(Files.exists(dir.resolve("out.bin" + PartialBlob.PART_SUFFIX)));
        assertFalse(Files.exists(dir.resolve("out.bin" + PartialBlob.BITMAP_SUFFIX)));
        TransferStatus s = t.status();
        assertEquals(TransferState.DONE, s.state());
        assertEquals(Files.size(src), s.bytesVerified());
        assertEquals(ProviderStatus.State.DONE, s.providers().getFirst().state());
        ProviderStats stats = p.provider().stats();
        assertTrue(stats.bytesServed() >= Files.size(src), "served " + stats.bytesServed());
        assertEquals(1, stats.bytesServedByPeer().size());
        assertEquals(stats.bytesServed(), (long) stats.bytesServedByPeer().values().iterator().next());
        waitFor(() -> !done.isEmpty());
        assertEquals(hash, done.getFirst().hash());
        assertEquals(1, d.transfers().size());
    }

    @Test
    @Timeout(30)
    void anEmptyFileArrives() throws Exception {
        FsBlobStore store = fx.store();
        BlobHash hash = store.importBytes(new byte[0]);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("empty");
        TransferResult r = TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT)
                .fetchBlob(hash, List.of(p.ticket()), out, false), 25);
        assertEquals(0, Files.size(out));
        assertEquals(0, r.totalBytes());
    }

    @Test
    @Timeout(30)
    void anExistingTargetIsRefusedUnlessReplacing() throws Exception {
        FsBlobStore store = fx.store();
        byte[] data = BlobTestSupport.random(100_000, 2);
        BlobHash hash = store.importBytes(data);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("taken");
        Files.writeString(out, "mine");
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
        assertThrows(TargetExistsException.class,
                () -> TransferFixture.await(d.fetchBlob(hash, List.of(p.ticket()), out, false), 25));
        assertEquals("mine", Files.readString(out));
        TransferFixture.await(d.fetchBlob(hash, List.of(p.ticket()), out, true), 25);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    @Timeout(30)
    void aBlobNoProviderHasIsNotFound() throws Exception {
        TransferFixture.Served p = fx.serve(fx.store());
        BlobHash missing = new BlobHash(new byte[32]);
        BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
        Transfer t = d.fetchBlob(missing, List.of(p.ticket()), dir.resolve("x"), false);
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> TransferFixture.await(t, 25));
        assertEquals(missing, e.hash());
        assertEquals(TransferState.FAILED, t.status().state());
        assertEquals(ProviderStatus.State.DROPPED, t.status().providers().getFirst().state());
        assertFalse(Files.exists(dir.resolve("x")));
        assertEquals(1, p.provider().stats().notFound());
    }

    @Test
    @Timeout(30)
    void aRequestAboveTheProvidersCapIsRefused() throws Exception {
        FsBlobStore store = fx.store();
        BlobHash hash = store.importBytes(BlobTestSupport.random(2 << 20, 9));
        dev.quiver.transport.QuiverNode node = fx.node();
        BlobProvider capped = BlobProvider.start(node, store, new ProviderLimits(16));
        fx.closeLater(capped);
        DownloadOptions options = DownloadOptions.DEFAULT.withUnits(64, 64, 4 << 20)
                .withRetries(1, java.time.Duration.ofMillis(10));
        Transfer t = fx.downloader(options).fetchBlob(hash, List.of(node.ticket()), dir.resolve("x"), false);
        ProvidersExhaustedException e = assertThrows(ProvidersExhaustedException.class,
                () -> TransferFixture.await(t, 25));
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        assertEquals(2, capped.stats().refused(), "the first attempt and the retry were refused");
        assertEquals(1, capped.stats().requests(), "only the probe was answered");
    }

    @Test
    @Timeout(30)
    void lz4ShrinksCompressibleGroupsOnTheWire() throws Exception {
        FsBlobStore store = fx.store();
        byte[] text = "the quick brown fox jumps over the lazy dog. ".repeat(100_000)
                .getBytes(StandardCharsets.US_ASCII);
        BlobHash hash = store.importBytes(text);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("text");
        TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT.withLz4(true))
                .fetchBlob(hash, List.of(p.ticket()), out, false), 25);
        assertArrayEquals(text, Files.readAllBytes(out));
        long served = p.provider().stats().bytesServed();
        assertTrue(served < text.length / 4, "served " + served + " bytes for " + text.length);
    }

    @Test
    @Timeout(30)
    void aCollectionKeepsNamesModesAndNesting() throws Exception {
        Path src = dir.resolve("src");
        TransferFixture.randomFile(src.resolve("top.txt"), 5, 1);
        TransferFixture.randomFile(src.resolve("a/b/c/deep.bin"), 100_000, 2);
        TransferFixture.randomFile(src.resolve("a/big.bin"), 3 * 1024 * 1024 + 7, 3);
        TransferFixture.randomFile(src.resolve("a/empty"), 0, 4);
        TransferFixture.randomFile(src.resolve("ünï/日本/ファイル 名.dat"), 40_000, 5);
        TransferFixture.randomFile(src.resolve("émoji 🎉/x"), 16384, 6);
        TransferFixture.randomFile(src.resolve("shared.txt"), 300, 7);
        Files.setPosixFilePermissions(src.resolve("top.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        // Group- and world-writable: bits a usual umask (022) removes at creation, so they are set afterwards.
        Files.setPosixFilePermissions(src.resolve("shared.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(src.resolve("a/empty"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(src.resolve("a/big.bin"), PosixFilePermissions.fromString("r--r--r--"));
        FsBlobStore store = fx.store();
        CollectionImporter.Result imported = CollectionImporter.importDirectory(store, src);
        TransferFixture.Served p = fx.serve(store);
        List<DownloadComplete> done = new CopyOnWriteArrayList<>();
        p.provider().onDownloadComplete(done::add);

        Path out = dir.resolve("out");
        TransferResult r = TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false), 25);
        assertEquals(TransferFixture.tree(src), TransferFixture.tree(out));
        assertEquals(7, r.paths().size());
        assertEquals(imported.totalBytes(), r.totalBytes());
        assertFalse(Files.exists(out.resolve(CollectionPlan.PARTIAL_DIR)), "partial directory removed");
        waitFor(() -> !done.isEmpty());
        assertEquals(imported.manifest(), done.getFirst().hash());

        // A second run finds every file in place and fetches nothing but the manifest.
        TransferResult again = TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false), 25);
        assertEquals(7, again.paths().size());
        assertTrue(again.bytesFetched() < 4096, "refetched " + again.bytesFetched());
    }

    @Test
    @Timeout(30)
    void anEmptyDirectoryIsAnEmptyCollection() throws Exception {
        Path src = Files.createDirectories(dir.resolve("nothing"));
        FsBlobStore store = fx.store();
        CollectionImporter.Result imported = CollectionImporter.importDirectory(store, src);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("out");
        TransferResult r = TransferFixture.await(fx.downloader(DownloadOptions.DEFAULT)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false), 25);
        assertTrue(r.paths().isEmpty());
        assertTrue(TransferFixture.tree(out).isEmpty());
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(cond.getAsBoolean(), "condition not met within 5 s");
    }
}
