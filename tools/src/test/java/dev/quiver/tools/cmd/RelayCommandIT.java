package dev.quiver.tools.cmd;

import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.relay.RelayClient;
import dev.quiver.transport.relay.RelayReservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quiver relay}: prints a ticket nodes can reserve at, keeps its node ID across restarts. */
class RelayCommandIT {

    private record Running(RelayCommand command, CompletableFuture<Integer> exit, Ticket ticket) {
    }

    private static Running start(Path identity, String... more) throws Exception {
        RelayCommand command = new RelayCommand();
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(text, true));
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--identity", identity.toString()));
        args.addAll(List.of(more));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args.toArray(String[]::new)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!text.toString().contains("\n")) {
            assertTrue(System.nanoTime() < deadline && !exit.isDone(), "no ticket printed: " + text);
            Thread.sleep(20);
        }
        String line = text.toString().strip();
        assertTrue(line.startsWith("relay: qv"), line);
        return new Running(command, exit, Ticket.parse(line.substring("relay: ".length())));
    }

    @Test
    @Timeout(30)
    void printsATicketNodesCanReserveAtAndKeepsItsNodeId(@TempDir Path dir) throws Exception {
        Running first = start(dir);
        Ticket ticket = first.ticket();
        try (QuiverNode node = QuiverNode.builder().build(); RelayClient client = new RelayClient(node)) {
            RelayReservation held = client.reserve(new RelayAddress(ticket.nodeId(),
                    ticket.directAddresses().getFirst()), Duration.ofMinutes(1));
            assertTrue(held.check());
        }
        first.command().stop();
        assertEquals(0, first.exit().get(10, TimeUnit.SECONDS));

        Running second = start(dir);
        assertEquals(ticket.nodeId(), second.ticket().nodeId(), "the identity directory keeps the node ID");
        second.command().stop();
        assertEquals(0, second.exit().get(10, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(10)
    void aBadListenAddressIsAUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new RelayCommand()).setErr(new PrintWriter(err, true))
                .execute("--listen", "127.0.0.1:99999", "--identity", dir.toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("port must be 0..65535"), err.toString());
    }

    /** {@code --data-port} fixes the circuit data socket's port (for firewalls), and frees it on stop. */
    @Test
    @Timeout(30)
    void dataPortFixesTheCircuitSocketsPort(@TempDir Path dir) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            port = probe.getLocalPort(); // a port free a moment ago
        }
        Running relay = start(dir, "--data-port", Integer.toString(port));
        try {
            assertThrows(BindException.class, () -> new DatagramSocket(new InetSocketAddress(loopback, port)).close(),
                    "the relay holds UDP port " + port);
            Ticket ticket = relay.ticket();
            try (QuiverNode node = QuiverNode.builder().build(); RelayClient client = new RelayClient(node)) {
                assertTrue(client.reserve(new RelayAddress(ticket.nodeId(), ticket.directAddresses().getFirst()),
                        Duration.ofMinutes(1)).check(), "the relay serves reservations as usual");
            }
        } finally {
            relay.command().stop();
        }
        assertEquals(0, relay.exit().get(10, TimeUnit.SECONDS));
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(loopback, port))) {
            assertEquals(port, again.getLocalPort(), "a stopped relay frees its data port");
        }
    }

    @Test
    @Timeout(10)
    void aDataPortOutOfRangeIsAUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new RelayCommand()).setErr(new PrintWriter(err, true))
                .execute("--listen", "127.0.0.1:0", "--data-port", "70000", "--identity", dir.toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("--data-port must be 0..65535"), err.toString());
    }
}
