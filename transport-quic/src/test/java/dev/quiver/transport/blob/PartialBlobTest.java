package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PartialBlobTest {

    private static final int G = 16 * 1024;

    @TempDir
    Path dir;

    /** Thrown by the sink to stop a transfer, as a crash would. */
    private static final class Crash extends IOException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resumesAfterACrashFetchingOnlyWhatIsMissing() throws Exception {
        byte[] data = BlobTestSupport.random(100 * G + 321, 42);
        MemoryBlobStore store = new MemoryBlobStore();
        BlobHash h = store.importBytes(data);
        Path target = dir.resolve("out.bin");

        PartialBlob first = PartialBlob.open(target, h, data.length);
        assertEquals(List.of(new GroupRange(0, 101)), first.missingRanges());
        int[] accepted = {0};
        try (RangeSource src = store.open(h)) {
            RangeRequest req = new RangeRequest(h, 0, 101, 0);
            assertThrows(Crash.class, () -> BlobTestSupport.transfer(src, req, data.length, (g, off, b, o, l) -> {
                if (accepted[0] == 57) {
                    throw new Crash();
                }
                first.accept(g, off, b, o, l);
                if (++accepted[0] % 10 == 0) {
                    first.commit();
                }
            }, new Random(1)));
        }
        // 57 groups written, 50 committed: the 7 after the last commit are not on record.
        assertEquals(50, first.durableGroups());
        first.close(); // as if killed: no commit
        assertFalse(Files.exists(target), "nothing under the final name before finish");

        PartialBlob second = PartialBlob.open(target, h, data.length);
        assertEquals(List.of(new GroupRange(50, 51)), second.missingRanges());
        assertEquals(50L * G, second.verifiedBytes());
        List<Long> fetched = new ArrayList<>();
        try (RangeSource src = store.open(h)) {
            for (GroupRange r : second.missingRanges()) {
                RangeRequest req = new RangeRequest(h, r.start(), r.count(), 0);
                BlobTestSupport.transfer(src, req, data.length, (g, off, b, o, l) -> {
                    fetched.add(g);
                    second.accept(g, off, b, o, l);
                }, new Random(2));
            }
        }
        assertEquals(51, fetched.size());
        assertEquals(50L, fetched.getFirst());
        second.commit();
        assertEquals(data.length, second.verifiedBytes());
        assertEquals(target, second.finish(false));
        byte[] got = Files.readAllBytes(target);
        assertArrayEquals(Blake3.hash(data), Blake3.hash(got));
        assertFalse(Files.exists(dir.resolve("out.bin" + PartialBlob.PART_SUFFIX)));
        assertFalse(Files.exists(dir.resolve("out.bin" + PartialBlob.BITMAP_SUFFIX)));
    }

    @Test
    void holesAnywhereAreReportedAsRuns() throws Exception {
        byte[] data = BlobTestSupport.random(20 * G, 1);
        BlobHash h = new BlobHash(Blake3.hash(data));
        Path target = dir.resolve("holes");
        try (PartialBlob p = PartialBlob.open(target, h, data.length)) {
            for (long g : new long[] {0, 1, 5, 6, 7, 19}) {
                p.accept(g, g * G, data, (int) g * G, G);
            }
            p.commit();
            assertEquals(List.of(new GroupRange(2, 3), new GroupRange(8, 11)), p.missingRanges());
            PartialBlobException e = assertThrows(PartialBlobException.class, () -> p.finish(false));
            assertTrue(e.getMessage().contains("14 groups still missing"), e.getMessage());
        }
        try (PartialBlob again = PartialBlob.open(target, h, data.length)) {
            assertEquals(List.of(new GroupRange(2, 3), new GroupRange(8, 11)), again.missingRanges());
        }
    }

    @Test
    void anotherBlobsLeftoversAreRefusedAndADamagedBitmapStartsOver() throws Exception {
        byte[] data = BlobTestSupport.random(4 * G, 2);
        BlobHash h = new BlobHash(Blake3.hash(data));
        Path target = dir.resolve("t");
        try (PartialBlob p = PartialBlob.open(target, h, data.length)) {
            p.accept(0, 0, data, 0, G);
            p.commit();
        }
        BlobHash other = new BlobHash(new byte[32]);
        assertThrows(PartialBlobException.class, () -> PartialBlob.open(target, other, data.length));
        assertThrows(PartialBlobException.class, () -> PartialBlob.open(target, h, data.length + 1L));
        Path bitmap = dir.resolve("t" + PartialBlob.BITMAP_SUFFIX);
        byte[] bm = Files.readAllBytes(bitmap);
        bm[bm.length - 40] ^= 1;
        Files.write(bitmap, bm);
        try (PartialBlob p = PartialBlob.open(target, h, data.length)) {
            assertEquals(List.of(new GroupRange(0, 4)), p.missingRanges());
        }
    }

    @Test
    void finishNeverOverwritesUnlessAskedAndEmptyBlobsWork() throws Exception {
        BlobHash empty = new BlobHash(Blake3.hash(new byte[0]));
        Path target = dir.resolve("empty");
        Files.write(target, new byte[] {1});
        PartialBlob p = PartialBlob.open(target, empty, 0);
        p.accept(0, 0, new byte[0], 0, 0);
        assertThrows(FileAlreadyExistsException.class, () -> p.finish(false));
        p.finish(true);
        assertEquals(0, Files.size(target));
    }
}
