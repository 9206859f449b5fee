package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An interrupted download (cancelled, or its process killed with SIGKILL) resumes: the second run fetches the
 * missing remainder and, by the provider's own byte counter, at most one in-flight window more.
 */
class ResumeIT {

    private static final long SIZE = 24L << 20;

    @TempDir
    Path dir;
    @RegisterExtension
    final TransferFixture fx = new TransferFixture();

    @Test
    @Timeout(30)
    void aCancelledDownloadResumesWithoutRefetchingVerifiedRanges() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.bigFile(dir.resolve("src"), SIZE, 21);
        BlobHash hash = store.importFile(src);
        TransferFixture.Served p = fx.serve(store);
        DownloadOptions options = KilledReceiver.OPTIONS;
        Path out = dir.resolve("out");

        Transfer first = fx.downloader(options).fetchBlob(hash, List.of(p.ticket()), out, false);
        while (first.status().bytesVerified() < SIZE / 2 && !first.result().isDone()) {
            Thread.sleep(2);
        }
        first.cancel();
        assertThrows(CancellationException.class, () -> TransferFixture.await(first, 10));
        assertEquals(TransferState.CANCELLED, first.status().state());
        assertFalse(Files.exists(out), "no file under the final name");

        assertResumesWithinOneWindow(store, hash, p, out, options, src);
    }

    @Test
    // A child JVM starts (a few seconds on a loaded host) before the download begins.
    @Timeout(60)
    void aReceiverKilledWithSigkillResumes() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.bigFile(dir.resolve("src"), SIZE, 22);
        BlobHash hash = store.importFile(src);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("out");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), KilledReceiver.class.getName(), p.ticket().toString(),
                hash.toHex(), out.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            long seen = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                assertFalse(line.startsWith("finished"), "the child finished before it was killed: " + line);
                seen = Long.parseLong(line.substring("verified ".length()));
                if (seen >= SIZE / 2) {
                    break;
                }
            }
            assertTrue(seen >= SIZE / 2, "the child got half way");
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no last commit
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertFalse(Files.exists(out));
        assertResumesWithinOneWindow(store, hash, p, out, KilledReceiver.OPTIONS, src);
    }

    @Test
    @Timeout(30)
    void aCancelledCollectionResumesItsFilesAndPartialFiles() throws Exception {
        Path src = dir.resolve("src");
        for (int i = 0; i < 4; i++) {
            TransferFixture.bigFile(Files.createDirectories(src.resolve("big")).resolve("b" + i), 4L << 20, 50 + i);
        }
        for (int i = 0; i < 200; i++) {
            TransferFixture.randomFile(src.resolve("small/s" + i), 3000 + i, 100 + i);
        }
        MemoryBlobStore store = new MemoryBlobStore();
        CollectionImporter.Result imported = CollectionImporter.importDirectory(store, src);
        TransferFixture.Served p = fx.serve(store);
        Path out = dir.resolve("out");
        Transfer first = fx.downloader(KilledReceiver.OPTIONS)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false);
        while (first.status().bytesVerified() < imported.totalBytes() / 2 && !first.result().isDone()) {
            Thread.sleep(2);
        }
        first.cancel();
        assertThrows(CancellationException.class, () -> TransferFixture.await(first, 10));
        assertTrue(Files.isDirectory(out.resolve(CollectionPlan.PARTIAL_DIR)), "partial files kept");
        long servedBefore = p.provider().stats().bytesServed();

        Transfer second = fx.downloader(KilledReceiver.OPTIONS)
                .fetchCollection(imported.manifest(), List.of(p.ticket()), out, false);
        TransferResult r = TransferFixture.await(second, 25);
        assertEquals(TransferFixture.tree(src), TransferFixture.tree(out));
        assertEquals(204, r.paths().size());
        assertEquals(imported.totalBytes(), second.status().bytesVerified());
        long served = p.provider().stats().bytesServed() - servedBefore;
        assertTrue(r.bytesFetched() < imported.totalBytes() * 3 / 4, "resumed: fetched " + r.bytesFetched()
                + " of " + imported.totalBytes());
        assertTrue(served < imported.totalBytes() * 3 / 4, "served " + served + " of " + imported.totalBytes());
        assertFalse(Files.exists(out.resolve(CollectionPlan.PARTIAL_DIR)));
    }

    private void assertResumesWithinOneWindow(FsBlobStore store, BlobHash hash, TransferFixture.Served p, Path out,
                                              DownloadOptions options, Path src) throws Exception {
        long durable;
        try (PartialBlob left = PartialBlob.open(out, hash, SIZE)) {
            durable = left.verifiedBytes();
        }
        long missing = SIZE - durable;
        assertTrue(durable > 0 && missing > 0, "a verified part was kept: " + durable + " of " + SIZE);
        long servedBefore = p.provider().stats().bytesServed();

        Transfer second = fx.downloader(options).fetchBlob(hash, List.of(p.ticket()), out, false);
        TransferResult r = TransferFixture.await(second, 25);
        TransferFixture.assertSameFile(src, out);
        assertEquals(SIZE - durable, r.bytesFetched(), "only the missing groups were verified again");

        long served = p.provider().stats().bytesServed() - servedBefore;
        // Tree nodes add 64 bytes per 16 KiB group at most (twice that with each request's path from the root),
        // the probe two groups; on top of that at most one window may have been in flight when it stopped.
        long overhead = missing / 16384 * 128 + 2 * 16384 + 4096;
        assertTrue(served >= missing, "served " + served + " for " + missing + " missing");
        assertTrue(served <= missing + options.inflightBytesPerProvider() + overhead,
                "served " + served + " bytes for " + missing + " missing (window "
                        + options.inflightBytesPerProvider() + ")");
        assertFalse(Files.exists(dir.resolve("out" + PartialBlob.BITMAP_SUFFIX)));
    }

}
