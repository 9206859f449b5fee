package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A download into a file system that fills up (a small tmpfs this test mounts): a clear {@link DiskFullException},
 * the verified part kept, and once the file system has grown, the download resumes and completes.
 */
class DiskFullIT {

    private static final long SIZE = 16L << 20;

    @TempDir
    Path dir;
    @RegisterExtension
    final TransferFixture fx = new TransferFixture();

    @Test
    @Timeout(30)
    void aFullDiskFailsClearlyKeepsTheVerifiedPartAndResumesOnceThereIsSpace() throws Exception {
        assumeTrue(Tmpfs.isRoot(), "mounting a tmpfs needs root; skipping the disk-full test");
        FsBlobStore store = fx.store();
        Path src = TransferFixture.bigFile(dir.resolve("src"), SIZE, 31);
        BlobHash hash = store.importFile(src);
        TransferFixture.Served p = fx.serve(store);
        Tmpfs fs = Tmpfs.mount(dir, "full", 8);
        assumeTrue(fs != null, "mount -t tmpfs was refused (no CAP_SYS_ADMIN here); skipping the disk-full test");
        try {
            Path out = fs.path().resolve("out.bin");
            DownloadOptions options = DownloadOptions.DEFAULT.withCommitIntervalBytes(1 << 20);
            Transfer t = fx.downloader(options).fetchBlob(hash, List.of(p.ticket()), out, false);
            DiskFullException e = assertThrows(DiskFullException.class, () -> TransferFixture.await(t, 25));
            assertTrue(e.getMessage().contains("no space left"), e.getMessage());
            assertFalse(Files.exists(out), "no file under the final name");
            Path part = fs.path().resolve("out.bin" + PartialBlob.PART_SUFFIX);
            assertTrue(Files.exists(part), "the partial file is kept");
            long kept;
            try (PartialBlob left = PartialBlob.open(out, hash, SIZE)) {
                kept = left.verifiedBytes();
            }
            assertTrue(kept > 0 && kept < SIZE, "a verified part is recorded: " + kept);

            fs.resize(64);
            TransferResult r = TransferFixture.await(fx.downloader(options)
                    .fetchBlob(hash, List.of(p.ticket()), out, false), 25);
            TransferFixture.assertSameFile(src, out);
            assertTrue(r.bytesFetched() <= SIZE - kept, "fetched " + r.bytesFetched() + ", missing " + (SIZE - kept));
        } finally {
            fs.close();
        }
    }
}
