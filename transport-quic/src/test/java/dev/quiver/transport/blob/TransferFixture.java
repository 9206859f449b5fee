package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real nodes, stores and providers on loopback for the transfer ITs; closes everything it made. Registered as a
 * JUnit extension ({@code @RegisterExtension final TransferFixture fx = new TransferFixture();}) it keeps its stores
 * in a temporary directory of its own and closes everything after each test.
 */
final class TransferFixture implements AutoCloseable, AfterEachCallback {

    private Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int stores;

    /** Stores go under {@code dir}, which the caller owns. */
    TransferFixture(Path dir) {
        this.dir = dir;
    }

    /** Stores go under a temporary directory made on first use and deleted on {@link #close()}. */
    TransferFixture() {
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    QuiverNode node() throws IOException {
        QuiverNode node = QuiverNode.builder()
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(20)).build()).build();
        toClose.add(node);
        return node;
    }

    FsBlobStore store() throws IOException {
        if (dir == null) {
            Path made = Files.createTempDirectory("qv-transfer-");
            toClose.addFirst(() -> deleteTree(made));
            dir = made;
        }
        return FsBlobStore.open(dir.resolve("store-" + stores++));
    }

    /** A node serving {@code store}. */
    Served serve(BlobStore store) throws IOException {
        QuiverNode node = node();
        BlobProvider provider = BlobProvider.start(node, store, ProviderLimits.DEFAULT);
        toClose.add(provider);
        return new Served(node, provider);
    }

    record Served(QuiverNode node, BlobProvider provider) {
        Ticket ticket() {
            return node.ticket();
        }
    }

    BlobDownloader downloader(DownloadOptions options) throws IOException {
        BlobDownloader d = new BlobDownloader(node(), options);
        toClose.add(d);
        return d;
    }

    void closeLater(AutoCloseable c) {
        toClose.add(c);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    /**
     * A fresh directory in RAM ({@code /dev/shm/qv-PID-...}) when there is one, else under {@code fallback}, so
     * tests with many or big files measure the transfer, not the disk; deleted (if in RAM) on {@link #close()}.
     */
    Path ramDir(Path fallback, String name) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
            return Files.createDirectories(fallback.resolve(name));
        }
        Path d = Files.createTempDirectory(shm, "qv-" + ProcessHandle.current().pid() + "-" + name);
        toClose.addFirst(() -> deleteTree(d));
        return d;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static TransferResult await(Transfer t, int seconds) throws Exception {
        try {
            return t.result().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Writes {@code size} pseudo-random bytes fast: a 1 MiB random block with each 16 KiB group stamped. */
    static Path bigFile(Path file, long size, long seed) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(seed).nextBytes(block);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(block);
            long pos = 0;
            while (pos < size) {
                for (int g = 0; g < block.length; g += 16384) {
                    ByteBuffer.wrap(block, g, 8).putLong(pos + g);
                }
                int n = (int) Math.min(block.length, size - pos);
                buf.clear().limit(n);
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
            }
        }
        return file;
    }

    static Path randomFile(Path file, int size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, BlobTestSupport.random(size, seed));
        return file;
    }

    /** Relative path to content hash and mode of every regular file under {@code root}. */
    static TreeMap<String, String> tree(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), CollectionPlan.hashFile(p).toHex()
                            + " " + Integer.toOctalString(FileModes.toMode(Files.getPosixFilePermissions(p))));
                }
            }
        }
        return out;
    }

    static void assertSameFile(Path expected, Path actual) throws IOException {
        assertEquals(Files.size(expected), Files.size(actual), "size of " + actual);
        BlobHash a = CollectionPlan.hashFile(expected);
        BlobHash b = CollectionPlan.hashFile(actual);
        assertArrayEquals(a.bytes(), b.bytes(), "content of " + actual);
    }
}
