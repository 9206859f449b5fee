package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real {@code kill -9} of a downloading process, then a resume in this one. */
@Timeout(120)
class PartialBlobKillTest {

    private static final int G = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void sigkillMidDownloadNeverRecordsAnUnwrittenGroup() throws Exception {
        byte[] data = BlobTestSupport.random(400 * G + 5, 77);
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        BlobHash hash = store.importBytes(data);
        Path target = dir.resolve("download.bin");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingDownload.class.getName(), dir.resolve("store").toString(), target.toString(), hash.toHex())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int committed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (committed < 120 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    committed = Integer.parseInt(line.substring(10));
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(committed >= 120, "the child committed " + committed + " groups before the kill");
        assertFalse(Files.exists(target), "no file under the final name");

        PartialBlob resumed = PartialBlob.open(target, hash, data.length);
        long durable = resumed.durableGroups();
        assertTrue(durable >= committed && durable < resumed.groupCount(), "durable " + durable);
        byte[] part = Files.readAllBytes(dir.resolve("download.bin" + PartialBlob.PART_SUFFIX));
        for (long g = 0; g < resumed.groupCount(); g++) {
            if (resumed.isVerified(g)) {
                int off = (int) g * G;
                int end = (int) Math.min(data.length, off + (long) G);
                assertArrayEquals(Arrays.copyOfRange(data, off, end), Arrays.copyOfRange(part, off, end),
                        "group " + g + " is marked verified, so its bytes must be on disk");
            }
        }
        assertEquals(new GroupRange(durable, resumed.groupCount() - durable), resumed.missingRanges().getFirst());
        long[] fetched = {0};
        try (RangeSource src = store.open(hash)) {
            for (GroupRange r : resumed.missingRanges()) {
                BlobTestSupport.transfer(src, new RangeRequest(hash, r.start(), r.count(), 0), data.length,
                        (g, off, b, o, l) -> {
                            fetched[0]++;
                            resumed.accept(g, off, b, o, l);
                        }, new Random(2));
            }
        }
        assertEquals(resumed.groupCount() - durable, fetched[0], "only the missing groups are fetched again");
        resumed.commit();
        resumed.finish(false);
        assertArrayEquals(Blake3.hash(data), Blake3.hash(Files.readAllBytes(target)));
    }
}
