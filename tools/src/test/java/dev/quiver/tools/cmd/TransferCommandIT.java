package dev.quiver.tools.cmd;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code quiver send} and {@code quiver recv} as real processes (the shaded CLI jar, child JVMs) over loopback:
 * a file and a directory with {@code --once}, the {@code --json} summary, the documented exit codes, and that a
 * file never appears under its final name before it is complete.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransferCommandIT {

    @TempDir
    static Path shared;
    /** A provider serving {@link #servedFile} for the error tests; stopped in {@link #stopSender}. */
    static Cli.Sender sender;
    static Path servedFile;

    @TempDir
    Path dir;

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void startSender() throws Exception {
        assumeTrue(Files.isRegularFile(Cli.JAR), "the CLI jar " + Cli.JAR + " is missing; run through `mvn verify`");
        servedFile = Files.write(shared.resolve("served.bin"), random(300_000, 1));
        sender = Cli.send(shared, servedFile, false);
    }

    @AfterAll
    static void stopSender() throws Exception {
        if (sender != null) {
            sender.close();
        }
    }

    @Test
    void fileArrivesWithJsonSummaryAndSenderExitsOnce() throws Exception {
        byte[] content = random((5 << 20) + 12345, 2);
        Path file = Files.write(dir.resolve("report 2026.bin"), content);
        Path out = dir.resolve("out");
        try (Cli.Sender once = Cli.send(dir, file, true)) {
            Cli.Result recv = Cli.run(dir, 25, "recv", "--json", "-o", out.toString(), once.ticket());
            assertEquals(0, recv.exit(), recv.stderr());
            Map<?, ?> json = (Map<?, ?>) Json.parse(recv.stdout());
            assertEquals(Boolean.TRUE, json.get("ok"));
            assertEquals((double) content.length, json.get("bytes"));
            // A fresh download fetches every content byte (and the small manifest).
            assertTrue((Double) json.get("fetched_bytes") >= content.length, recv.stdout());
            assertTrue((Double) json.get("seconds") > 0, recv.stdout());
            assertTrue((Double) json.get("goodput_bps") > 0, recv.stdout());
            assertEquals(64, ((String) json.get("hash")).length(), recv.stdout());
            assertEquals(Ticket.parse(once.ticket()).blobHash().map(java.util.HexFormat.of()::formatHex)
                    .orElseThrow(), json.get("hash"));
            List<?> providers = (List<?>) json.get("providers");
            assertEquals(1, providers.size(), recv.stdout());
            assertEquals(Ticket.parse(once.ticket()).nodeId().toString(), ((Map<?, ?>) providers.getFirst())
                    .get("node"));
            Path received = out.resolve("report 2026.bin");
            assertEquals(List.of(received.toAbsolutePath().normalize().toString()),
                    ((List<?>) json.get("paths")).stream().map(p -> Path.of((String) p).toAbsolutePath()
                            .normalize().toString()).toList());
            assertArrayEquals(content, Files.readAllBytes(received));
            assertEquals(0, once.awaitExit(15), "--once sender should exit 0 after the download");
        }
    }

    @Test
    void directoryArrivesWithNamesModesAndNesting() throws Exception {
        Path src = Files.createDirectories(dir.resolve("photos"));
        Files.createDirectories(src.resolve("2026/März"));
        Files.write(src.resolve("2026/März/Straße ☕.jpg"), random(70_000, 3));
        Files.write(src.resolve("2026/empty"), new byte[0]);
        Path script = Files.writeString(src.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(src.resolve("a.bin"), random(1 << 20, 4));
        Path out = dir.resolve("out");
        try (Cli.Sender once = Cli.send(dir, src, true)) {
            Cli.Result recv = Cli.run(dir, 25, "recv", "-o", out.toString(), once.ticket());
            assertEquals(0, recv.exit(), recv.stderr());
            assertTrue(recv.stdout().contains("received 4 files"), recv.stdout());
            assertEquals(0, once.awaitExit(15));
        }
        Path copy = out.resolve("photos");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(4, files.size());
        for (Path f : files) {
            Path other = copy.resolve(src.relativize(f).toString());
            assertEquals(-1L, Files.mismatch(f, other), other.toString());
            assertEquals(Files.getPosixFilePermissions(f), Files.getPosixFilePermissions(other), other.toString());
        }
    }

    @Test
    void badTicketExitsWithUsageCode() throws Exception {
        String ticket = sender.ticket();
        // One character changed: the checksum catches it.
        char c = ticket.charAt(20);
        String typo = ticket.substring(0, 20) + (c == 'a' ? 'b' : 'a') + ticket.substring(21);
        Cli.Result typoRun = Cli.run(dir, 20, "recv", "-o", dir.toString(), typo);
        assertEquals(2, typoRun.exit(), typoRun.stderr());
        assertTrue(typoRun.stderr().contains("ticket"), typoRun.stderr());
        Cli.Result garbage = Cli.run(dir, 20, "recv", "--json", "-o", dir.toString(), "hello");
        assertEquals(2, garbage.exit(), garbage.stderr());
        Map<?, ?> json = (Map<?, ?>) Json.parse(garbage.stdout());
        assertEquals(Boolean.FALSE, json.get("ok"));
        assertEquals(2.0, json.get("exit"));
        Cli.Result noArgs = Cli.run(dir, 20, "recv");
        assertEquals(2, noArgs.exit(), noArgs.stderr());
    }

    @Test
    void ticketEditedToAnotherNodeExitsWithWrongKeyCode() throws Exception {
        Ticket real = Ticket.parse(sender.ticket());
        NodeId other = NodeIdentity.generate(KeyType.ED25519).nodeId();
        Ticket edited = Ticket.of(other, real.directAddresses()).withBlob(real.blobHash().orElseThrow(),
                real.blobFormat().orElseThrow());
        Cli.Result recv = Cli.run(dir, 25, "recv", "-o", dir.resolve("out").toString(), edited.toString());
        assertEquals(4, recv.exit(), recv.stderr());
        assertTrue(recv.stderr().contains(other.toString()), recv.stderr());
        assertFalse(Files.exists(dir.resolve("out").resolve(servedFile.getFileName())));
    }

    @Test
    void unknownHashExitsWithNotFoundCode() throws Exception {
        Ticket real = Ticket.parse(sender.ticket());
        Ticket unknown = real.withBlob(random(32, 5), Ticket.BlobFormat.COLLECTION);
        Cli.Result recv = Cli.run(dir, 25, "recv", "--json", "-o", dir.toString(), unknown.toString());
        assertEquals(5, recv.exit(), recv.stderr());
        assertEquals(5.0, ((Map<?, ?>) Json.parse(recv.stdout())).get("exit"));
    }

    @Test
    void unreachablePeerExitsWithUnreachableCode() throws Exception {
        Ticket real = Ticket.parse(sender.ticket());
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Ticket nowhere = Ticket.of(real.nodeId(), List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                closedPort))).withBlob(real.blobHash().orElseThrow(), real.blobFormat().orElseThrow());
        Cli.Result recv = Cli.run(dir, 28, "recv", "--timeout", "2", "-o", dir.toString(), nowhere.toString());
        assertEquals(3, recv.exit(), recv.stderr());
    }

    @Test
    void existingTargetIsRefusedUnlessForced() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = out.resolve(servedFile.getFileName().toString());
        byte[] mine = "my own file, keep it".getBytes(StandardCharsets.UTF_8);
        Files.write(target, mine);
        Cli.Result refused = Cli.run(dir, 25, "recv", "-o", out.toString(), sender.ticket());
        assertEquals(7, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("--force"), refused.stderr());
        assertArrayEquals(mine, Files.readAllBytes(target));
        Cli.Result forced = Cli.run(dir, 25, "recv", "--force", "-o", out.toString(), sender.ticket());
        assertEquals(0, forced.exit(), forced.stderr());
        assertArrayEquals(Files.readAllBytes(servedFile), Files.readAllBytes(target));
    }

    @Test
    void finalNameAppearsOnlyWhenComplete() throws Exception {
        long size = 64L << 20;
        Path file = dir.resolve("big.bin");
        Files.write(file, random((int) size, 6));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = out.resolve("big.bin");
        try (Cli.Sender once = Cli.send(dir, file, true)) {
            Process recv = Cli.builder(List.of("recv", "-o", out.toString(), once.ticket()))
                    .redirectOutput(dir.resolve("recv.out").toFile())
                    .redirectError(dir.resolve("recv.err").toFile()).start();
            long samples = 0;
            long partialSeen = 0;
            while (recv.isAlive()) {
                samples++;
                if (Files.exists(target)) {
                    long seen = sizeOrMinusOne(target);
                    assertTrue(seen == size || seen == -1, "a " + seen + "-byte file under the final name");
                } else if (hasOtherFile(out, target)) {
                    partialSeen++;
                }
                Thread.sleep(2);
            }
            assertEquals(0, recv.exitValue(), Files.readString(dir.resolve("recv.err")));
            assertTrue(samples > 10, "too few samples: " + samples);
            assertEquals(size, Files.size(target));
            assertEquals(-1L, Files.mismatch(file, target));
            System.out.printf("atomic final name: %d samples, %d with a partial file and no final name%n", samples,
                    partialSeen);
        }
    }

    private static long sizeOrMinusOne(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean hasOtherFile(Path dir, Path target) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.anyMatch(p -> !p.equals(target));
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}
