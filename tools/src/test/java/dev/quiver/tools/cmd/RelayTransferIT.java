package dev.quiver.tools.cmd;

import dev.quiver.transport.Ticket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code quiver send --relay} and {@code quiver recv}'s fallback to the relay, as processes: a relay, a sender that
 * holds a slot there and names it in its ticket, and receivers that either reach the sender directly or, given a
 * ticket whose direct address is dead, come through the relay without waiting for the direct dial's timeout.
 */
class RelayTransferIT {
    /** recv's --timeout: a receiver that waited for the direct dial to time out would take at least this. */
    private static final int DIRECT_TIMEOUT_S = 20;

    /** A background process and the line it printed that starts with a prefix. */
    private record Started(Process process, String value) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Started start(Path scratch, String prefix, List<String> args) throws Exception {
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process process = Cli.builder(args).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String value = found.get(40, TimeUnit.SECONDS);
        if (value == null) {
            process.destroyForcibly();
            fail(String.join(" ", args) + " printed no '" + prefix + "': " + Files.readString(err));
        }
        return new Started(process, value);
    }

    private static Started relay(Path dir) throws Exception {
        return start(dir, "relay: ", List.of("relay", "--listen", "127.0.0.1:0", "--identity",
                dir.resolve("relay-id").toString()));
    }

    private static Started sendVia(Path dir, String relayTicket, Path file) throws Exception {
        return start(dir, "ticket: ", List.of("send", "--bind", "127.0.0.1:0", "--once", "--relay", relayTicket,
                "--store", dir.resolve("store").toString(), "--identity-dir", dir.resolve("send-id").toString(),
                file.toString()));
    }

    private static Path file(Path dir, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        new Random(5).nextBytes(data);
        return Files.write(dir.resolve("payload.bin"), data);
    }

    @Test
    @Timeout(90)
    void recvFallsBackToTheRelayQuicklyWhenTheDirectAddressIsDead(@TempDir Path dir) throws Exception {
        Path src = file(dir, 3 << 20);
        Path out = Files.createDirectories(dir.resolve("out"));
        try (Started relay = relay(dir); Started send = sendVia(dir, relay.value(), src)) {
            Ticket ticket = Ticket.parse(send.value());
            assertTrue(ticket.relay().isPresent(), "send --relay puts the relay in the ticket: " + send.value());
            assertEquals(Ticket.parse(relay.value()).nodeId(), ticket.relay().get().nodeId());
            Ticket deadDirect = Ticket.of(ticket.nodeId(), List.of(deadAddress()), ticket.relay(), Optional.empty())
                    .withBlob(ticket.blobHash().orElseThrow(), ticket.blobFormat().orElseThrow());

            long startNs = System.nanoTime();
            Cli.Result recv = Cli.run(dir, 60, "recv", "--json", "--verbose", "--timeout",
                    String.valueOf(DIRECT_TIMEOUT_S), "-o", out.toString(), deadDirect.toString());
            double seconds = (System.nanoTime() - startNs) / 1e9;
            assertEquals(0, recv.exit(), recv.stderr());
            Map<?, ?> json = (Map<?, ?>) Json.parse(recv.stdout());
            assertEquals(Boolean.TRUE, json.get("ok"));
            assertEquals("relayed", json.get("route"), recv.stdout());
            List<?> kinds = (List<?>) json.get("path_kinds");
            assertTrue(kinds.stream().anyMatch(k -> "relayed".equals(((Map<?, ?>) k).get("kind"))), recv.stdout());
            assertTrue(recv.stderr().contains("route: relayed"), recv.stderr());
            assertTrue(recv.stderr().lines().anyMatch(l -> l.startsWith("peer ") && l.contains(" srtt ")
                    && l.endsWith(", relayed")), "--verbose prints each path with its kind: " + recv.stderr());
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("payload.bin")));
            // Hedged, not sequential: the relay is tried after about 1.5 s, not after the direct dial's timeout.
            assertTrue(seconds < DIRECT_TIMEOUT_S, "recv took " + seconds + " s");
            assertEquals(0, send.process().waitFor(20, TimeUnit.SECONDS) ? send.process().exitValue() : -1,
                    "send --once exits after the relayed download");
        }
    }

    @Test
    @Timeout(90)
    void recvUsesTheDirectAddressWhenItAnswersAndSaysSo(@TempDir Path dir) throws Exception {
        Path src = file(dir, 1 << 20);
        Path out = Files.createDirectories(dir.resolve("out"));
        try (Started relay = relay(dir); Started send = sendVia(dir, relay.value(), src)) {
            assertTrue(Ticket.parse(send.value()).relay().isPresent(), send.value());
            Cli.Result recv = Cli.run(dir, 60, "recv", "--json", "-o", out.toString(), send.value());
            assertEquals(0, recv.exit(), recv.stderr());
            Map<?, ?> json = (Map<?, ?>) Json.parse(recv.stdout());
            assertEquals("direct", json.get("route"), recv.stdout());
            List<?> kinds = new ArrayList<>((List<?>) json.get("path_kinds"));
            assertTrue(!kinds.isEmpty() && kinds.stream().allMatch(k -> "direct".equals(((Map<?, ?>) k).get("kind"))),
                    recv.stdout());
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("payload.bin")));
        }
    }

    /** A loopback UDP address where nothing listens (a port just released). */
    private static InetSocketAddress deadAddress() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }
}
