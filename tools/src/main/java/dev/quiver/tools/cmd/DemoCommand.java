package dev.quiver.tools.cmd;

import dev.quiver.tools.transfer.ExitCodes;
import dev.quiver.tools.transfer.Failure;
import dev.quiver.tools.transfer.ProgressPrinter;
import dev.quiver.tools.transfer.SendSource;
import dev.quiver.tools.transfer.Sizes;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.blob.BlobDownloader;
import dev.quiver.transport.blob.BlobProvider;
import dev.quiver.transport.blob.DownloadOptions;
import dev.quiver.transport.blob.FsBlobStore;
import dev.quiver.transport.blob.ProviderLimits;
import dev.quiver.transport.blob.Transfer;
import dev.quiver.transport.blob.TransferResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code quiver demo}: the main job in one process. A provider node and a receiver node talk over loopback QUIC;
 * the receiver downloads a small directory (nested files, a non-ASCII name, an empty file, an executable) and a
 * generated 256 MiB file, each BLAKE3-verified per 16 KiB group as it arrives; the demo then compares every file
 * with its source and prints the goodput. Everything lives in a temporary directory (in {@code /dev/shm} when
 * there is one, so the disk does not set the pace) that is removed at the end. {@code --hash} runs the BLAKE3
 * tier comparison instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Moves a generated file and a directory between two nodes over loopback QUIC.",
                "Verifies them and prints the goodput; --hash compares the BLAKE3 tiers instead."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--mib", paramLabel = "N",
            description = "Size of the generated file in MiB (default 256; with --hash, the buffer, default 1024).")
    private Integer mib;

    @Option(names = "--hash", description = "Hash a generated buffer with every BLAKE3 tier and print GB/s.")
    private boolean hash;

    /** Extra small files in the directory (hidden: the start-up cache's training moves many small files). */
    @Option(names = "--files", paramLabel = "N", hidden = true,
            description = "Also put N small files (0-8 KiB, 100 per directory) in the directory.")
    private int files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int size = mib != null ? mib : hash ? 1024 : 256;
        if (size <= 0 || files < 0) {
            err.println("quiver demo: --mib must be positive and --files not negative");
            return ExitCodes.USAGE;
        }
        if (hash) {
            return HashDemo.run(size, out, err);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory(scratchParent(), "quiver-demo-");
            return transfer(work, size, files, out, err);
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            err.println("quiver demo: " + failure.message());
            return ExitCodes.FAILED;
        } finally {
            deleteTree(work);
        }
    }

    private static int transfer(Path work, int fileMib, int smallFiles, PrintWriter out, PrintWriter err)
            throws Exception {
        Path src = Files.createDirectories(work.resolve("src"));
        Path dir = makeDirectory(src.resolve("demo-dir"));
        makeSmallFiles(dir.resolve("many"), smallFiles);
        Path file = makeFile(src.resolve("demo-" + fileMib + "MiB.bin"), (long) fileMib << 20);
        Path received = work.resolve("received");
        out.printf("quiver demo: two nodes on loopback QUIC, data in %s%n", work);
        out.flush();
        FsBlobStore store = FsBlobStore.open(work.resolve("store"));
        long t0 = System.nanoTime();
        SendSource dirSource = SendSource.importPath(store, dir);
        SendSource fileSource = SendSource.importPath(store, file);
        out.printf(Locale.ROOT, "  provider imported %s and %s (BLAKE3 trees) in %.2f s%n", dirSource.name(),
                fileSource.name(), (System.nanoTime() - t0) / 1e9);
        try (QuiverNode providerNode = QuiverNode.builder().build();
             BlobProvider provider = BlobProvider.start(providerNode, store, ProviderLimits.DEFAULT);
             QuiverNode receiverNode = QuiverNode.builder().build()) {
            BlobDownloader downloader = new BlobDownloader(receiverNode, DownloadOptions.DEFAULT);
            Ticket base = providerNode.ticket();
            for (SendSource source : List.of(dirSource, fileSource)) {
                Ticket ticket = base.withBlob(source.collection().bytes(), Ticket.BlobFormat.COLLECTION);
                Transfer transfer = downloader.fetchCollection(source.collection(), List.of(ticket), received,
                        false);
                TransferResult result;
                try (ProgressPrinter progress = ProgressPrinter.start(err, () -> new ProgressPrinter.Sample(
                        transfer.status().bytesVerified(), Math.max(0, transfer.status().totalBytes()),
                        transfer.status().rateBytesPerSecond(), ""), ProgressPrinter.onTerminal())) {
                    result = transfer.result().get();
                }
                Path sourceRoot = source == dirSource ? dir : file;
                Path copy = received.resolve(source.name());
                long checked = compareTree(sourceRoot, copy);
                out.printf(Locale.ROOT, "  %-22s %4d file%s %10s in %6.2f s: %s goodput; BLAKE3-verified per "
                                + "16 KiB group, byte-identical to the source (%d checked)%n", source.name(),
                        result.paths().size(), result.paths().size() == 1 ? " " : "s",
                        Sizes.bytes(result.totalBytes()), result.seconds(),
                        Sizes.rate(result.bytesFetched() / Math.max(result.seconds(), 1e-9)), checked);
                out.flush();
            }
            out.printf("  provider served %s%n", Sizes.bytes(provider.stats().bytesServed()));
        }
        out.println("quiver demo: done. Try it between machines: quiver send PATH, then quiver recv TICKET");
        return ExitCodes.OK;
    }

    /** A few nested files: text, a non-ASCII name, an empty file, an executable script, 1 MiB of random data. */
    private static Path makeDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs/notes"));
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("README.txt"), "A small directory moved by quiver demo.\n");
        Files.writeString(dir.resolve("docs/notes/Grüße aus Köln ☕.txt"), "non-ASCII names travel as UTF-8\n",
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("docs/empty"), new byte[0]);
        Path script = Files.writeString(dir.resolve("bin/hello.sh"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        makeFile(dir.resolve("docs/data.bin"), 1 << 20);
        return dir;
    }

    /** {@code count} files of 0-8 KiB of random bytes, 100 per directory (the shape of the transfer bench's tree). */
    private static void makeSmallFiles(Path dir, int count) throws IOException {
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < count; i++) {
            Path sub = Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "d%03d", i / 100)));
            byte[] data = new byte[random.nextInt(8193)];
            random.nextBytes(data);
            Files.write(sub.resolve(String.format(Locale.ROOT, "f%05d.bin", i)), data);
        }
    }

    private static Path makeFile(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(2026);
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = bytes; left > 0; ) {
                block.clear();
                while (block.remaining() >= Long.BYTES) {
                    block.putLong(random.nextLong());
                }
                block.flip().limit((int) Math.min(block.limit(), left));
                while (block.hasRemaining()) {
                    left -= ch.write(block);
                }
            }
        }
        return file;
    }

    /** Byte-compares every file under {@code source} with its copy (and file against file); returns the count. */
    private static long compareTree(Path source, Path copy) throws IOException {
        long count = 0;
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                Path other = copy.resolve(source.relativize(p).toString());
                if (source.equals(p)) {
                    other = copy;
                }
                if (Files.mismatch(p, other) != -1L) {
                    throw new IOException(other + " differs from " + p + "; please report this bug");
                }
                if (!Files.getPosixFilePermissions(p).equals(Files.getPosixFilePermissions(other))) {
                    throw new IOException(other + " lost its file mode; please report this bug");
                }
                count++;
            }
        }
        return count;
    }

    private static Path scratchParent() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("quiver demo: could not remove " + root + ": " + e.getMessage());
        }
    }
}
