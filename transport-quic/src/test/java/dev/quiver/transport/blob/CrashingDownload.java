package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;

import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link PartialBlobKillTest}: downloads a blob from a store into a {@link PartialBlob},
 * slowly, committing every few groups and printing each commit, until the parent kills it with SIGKILL.
 */
final class CrashingDownload {

    private CrashingDownload() {
    }

    public static void main(String[] args) throws Exception {
        FsBlobStore store = FsBlobStore.open(Path.of(args[0]));
        BlobHash hash = BlobHash.fromHex(args[2]);
        long length = store.size(hash);
        PartialBlob partial = PartialBlob.open(Path.of(args[1]), hash, length);
        int[] n = {0};
        try (RangeSource src = store.open(hash)) {
            RangeRequest req = new RangeRequest(hash, 0, partial.groupCount(), 0);
            BlobTestSupport.transfer(src, req, length, (g, off, b, o, l) -> {
                partial.accept(g, off, b, o, l);
                if (++n[0] % 4 == 0) {
                    partial.commit();
                    System.out.println("committed " + n[0]);
                    System.out.flush();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, new Random(1));
        }
        System.out.println("finished");
    }
}
