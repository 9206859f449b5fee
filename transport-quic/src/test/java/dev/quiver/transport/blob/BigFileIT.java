package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A 1 GiB file end to end over loopback QUIC, verified group by group, in RAM-backed files ({@code /dev/shm}
 * when present) so the test measures the transfer rather than the disk. {@code -Dquiver.it.bigFileMiB} changes
 * the size.
 */
class BigFileIT {

    private static final Logger LOG = LoggerFactory.getLogger(BigFileIT.class);
    private static final long SIZE = Long.getLong("quiver.it.bigFileMiB", 1024) << 20;

    @TempDir
    Path fallback;

    @Test
    // About 10-20 s on an idle 2-core machine (JIT warm-up included); the margin is for a loaded CI host.
    @Timeout(90)
    void aGibibyteArrivesVerified() throws Exception {
        try (TransferFixture fx = new TransferFixture(fallback)) {
            Path dir = fx.ramDir(fallback, "big");
            FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
            Path src = TransferFixture.bigFile(dir.resolve("src"), SIZE, 41);
            BlobHash hash = store.importFile(src);
            BlobHash expected = CollectionPlan.hashFile(src);
            assertEquals(expected, hash);
            Files.delete(src);
            TransferFixture.Served p = fx.serve(store);
            Path out = dir.resolve("out");
            BlobDownloader d = fx.downloader(DownloadOptions.DEFAULT);
            TransferResult r = TransferFixture.await(d.fetchBlob(hash, List.of(p.ticket()), out, false), 85);
            LOG.info("{} MiB in {} s: {} MB/s ({} Gbit/s) verified, to a file", SIZE >> 20,
                    String.format("%.2f", r.seconds()), String.format("%.0f", SIZE / r.seconds() / 1e6),
                    String.format("%.2f", SIZE * 8 / r.seconds() / 1e9));
            assertEquals(SIZE, Files.size(out));
            assertEquals(hash, CollectionPlan.hashFile(out));
            assertEquals(SIZE, r.bytesFetched());
        }
    }
}
