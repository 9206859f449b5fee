package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link ResumeIT}: a real receiver (node, downloader) fetching a blob and printing its
 * verified byte count every few milliseconds, until the parent kills it with SIGKILL.
 */
final class KilledReceiver {

    /** A small window and small units, so the parent can catch the download about half way. */
    static final DownloadOptions OPTIONS = DownloadOptions.DEFAULT.withCommitIntervalBytes(1 << 20)
            .withUnits(16, 16, 512 * 1024).withStallTimeout(Duration.ofSeconds(10));

    private KilledReceiver() {
    }

    public static void main(String[] args) throws Exception {
        Ticket provider = Ticket.parse(args[0]);
        BlobHash hash = BlobHash.fromHex(args[1]);
        Path out = Path.of(args[2]);
        QuiverNode node = QuiverNode.builder().build();
        BlobDownloader d = new BlobDownloader(node, OPTIONS);
        Transfer t = d.fetchBlob(hash, List.of(provider), out, false);
        while (!t.result().isDone()) {
            System.out.println("verified " + t.status().bytesVerified());
            System.out.flush();
            Thread.sleep(5);
        }
        System.out.println("finished " + t.result().isCompletedExceptionally());
        System.out.flush();
        d.close();
        node.close();
    }
}
