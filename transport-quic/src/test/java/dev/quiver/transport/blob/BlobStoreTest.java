package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class BlobStoreTest {

    private static final int G = 16 * 1024;

    @TempDir
    Path dir;

    private BlobStore store(String kind) throws Exception {
        return kind.equals("fs") ? FsBlobStore.open(dir.resolve("store"), java.util.concurrent.ForkJoinPool
                .commonPool(), 4) : new MemoryBlobStore();
    }

    private static byte[] outboardOf(RangeSource src) throws Exception {
        Blake3Tree tree = Blake3Tree.of(src.length());
        byte[] out = new byte[(int) tree.outboardSize()];
        for (long i = 0; i < tree.outboardSize() / 64; i++) {
            src.readParent(i, out, (int) i * 64);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "memory"})
    void importMatchesBlake3AndTheTreeOutboard(String kind) throws Exception {
        BlobStore store = store(kind);
        // 5 MiB + 1 has several 64-group leaves for the parallel outboard builder and a partial last group.
        for (int len : new int[] {0, 1, G - 1, G, G + 1, 3 * G + 77, 5 * (1 << 20) + 1}) {
            byte[] data = BlobTestSupport.random(len, len);
            Path file = dir.resolve("in-" + len);
            Files.write(file, data);
            BlobHash h = store.importFile(file);
            assertEquals(new BlobHash(Blake3.hash(data)), h, "len " + len);
            assertTrue(store.has(h));
            assertEquals(len, store.size(h));
            try (RangeSource src = store.open(h)) {
                assertArrayEquals(Blake3Tree.of(len).outboard(data), outboardOf(src), "outboard, len " + len);
                byte[] back = new byte[len];
                src.readData(0, back, 0, len);
                assertArrayEquals(data, back);
            }
            assertEquals(h, store.importBytes(data), "importing again is idempotent");
        }
        if (kind.equals("fs")) {
            // Both import paths (through memory up to 1 MiB, mapped above) leave nothing staged behind.
            try (var staged = Files.list(dir.resolve("store").resolve("tmp"))) {
                assertEquals(0, staged.count());
            }
        }
        BlobHash absent = new BlobHash(new byte[32]);
        assertFalse(store.has(absent));
        assertThrows(BlobNotFoundException.class, () -> store.open(absent));
        assertThrows(BlobNotFoundException.class, () -> store.size(absent));
    }

    @Test
    void aLargeSparseFileImportsWithoutTheHeapAndServesVerifiedRanges() throws Exception {
        long len = 64L * 1024 * 1024 - 5;
        Path file = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(len);
            Random rnd = new Random(3);
            for (int i = 0; i < 64; i++) {
                raf.seek(rnd.nextLong(len - 100));
                raf.write(BlobTestSupport.random(100, i));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            FsBlobStore store = FsBlobStore.open(dir.resolve("store"), pool, 3);
            BlobHash h = store.importFile(file);
            byte[] expected;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, len, arena);
                expected = Blake3.hash(seg);
            }
            assertEquals(new BlobHash(expected), h);
            Blake3Tree tree = Blake3Tree.of(len);
            try (RangeSource src = store.open(h)) {
                for (long[] r : new long[][] {{0, 3}, {1000, 40}, {tree.groupCount() - 2, 5}}) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    RangeRequest req = new RangeRequest(h, r[0], r[1], 0);
                    BlobTestSupport.transfer(src, req, -1, (g, off, b, o, l) -> got.write(b, o, l), new Random(1));
                    long end = Math.min(tree.groupCount(), r[0] + r[1]);
                    long bytes = tree.groupOffset(end - 1) + tree.groupLength(end - 1) - tree.groupOffset(r[0]);
                    byte[] want = new byte[(int) bytes];
                    src.readData(tree.groupOffset(r[0]), want, 0, want.length);
                    assertArrayEquals(want, got.toByteArray());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void crashLeftoversAreCleanedAndADamagedOutboardIsReported() throws Exception {
        Path root = dir.resolve("store");
        FsBlobStore store = FsBlobStore.open(root);
        Files.write(root.resolve("tmp").resolve("import-123.data"), new byte[10]);
        store = FsBlobStore.open(root);
        try (var s = Files.list(root.resolve("tmp"))) {
            assertEquals(0, s.count());
        }
        BlobHash h = store.importBytes(BlobTestSupport.random(3 * G, 1));
        Files.write(root.resolve("outboard").resolve(h.toHex()), new byte[10]);
        FsBlobStore s2 = store;
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> s2.open(h));
        assertTrue(String.valueOf(e.getMessage()).contains("re-import"), e.toString());
    }
}
