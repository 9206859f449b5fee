package dev.quiver.transport.session;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipath sessions between two real nodes on loopback (127.0.0.1 and 127.0.0.2 are both loopback, so a second
 * path is a second QUIC connection from another local address): both paths carry data, a path removed or added
 * mid-transfer, a session whose only connection dies resumes, and a join with a token the acceptor does not know
 * is refused. Every transfer is verified byte for byte (SHA-256 of what the receiver read).
 */
class MultipathIT {
    private static final int SERVICE = 0x2100;
    private static final int CHUNK = 64 << 10;

    @RegisterExtension
    final Closer toClose = new Closer();

    private QuiverNode node(Duration resumeGrace) throws IOException {
        QuiverNode node = QuiverNode.builder()
                .bindAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .limits(new SessionLimits(4 << 20, 64, 64 << 10, 2 << 20, 64))
                .resumeGrace(resumeGrace)
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(10)).keepAliveInterval(Duration.ofSeconds(3)).build()).build();
        toClose.add(node);
        return node;
    }

    /** A server that hashes everything it reads on {@link #SERVICE} and answers with the 32-byte SHA-256. */
    private static QuiverNode serve(QuiverNode server) {
        server.handle(SERVICE, (session, stream) -> {
            MessageDigest sha = sha256();
            byte[] buf = new byte[CHUNK];
            InputStream in = stream.inputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
            stream.outputStream().write(sha.digest());
        });
        return server;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends {@code totalBytes} of seeded random data on one stream and checks the server's hash of what it read;
     * {@code atFraction} runs once when that fraction has been written.
     */
    private static void transfer(PeerSession session, long totalBytes, double atFraction, ThrowingRunnable action)
            throws Exception {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(totalBytes);
        byte[] chunk = new byte[CHUNK];
        try (LogicalStream stream = session.openStream(SERVICE, PriorityClass.BULK, 1)) {
            OutputStream out = stream.outputStream();
            boolean acted = action == null;
            for (long sent = 0; sent < totalBytes; sent += chunk.length) {
                if (!acted && sent >= atFraction * totalBytes) {
                    acted = true;
                    action.run();
                }
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
            out.close();
            byte[] answer = stream.inputStream().readAllBytes();
            assertArrayEquals(sha.digest(), answer, "the server read other bytes than were sent");
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Map<Integer, PathStats> byId(List<PathStats> paths) {
        return paths.stream().collect(Collectors.toMap(PathStats::id, Function.identity(), (a, b) -> b));
    }

    private static InetSocketAddress from127002() throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0);
    }

    @Test
    @Timeout(30)
    void twoPathsBothCarryData() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(5)));
        PeerSession session = node(Duration.ofSeconds(5)).connect(server.ticket());
        int second = session.addPath(from127002(), server.localAddress());
        assertEquals(1, second);
        long total = 96L << 20;
        transfer(session, total, 0, null);
        Map<Integer, PathStats> paths = byId(session.paths());
        assertEquals(2, paths.size());
        PathStats a = paths.get(0);
        PathStats b = paths.get(1);
        assertEquals(PathState.ACTIVE, a.state());
        assertEquals(PathState.ACTIVE, b.state());
        assertEquals("127.0.0.2", b.localAddress().getAddress().getHostAddress());
        assertTrue(a.bytesSent() > total / 10 && b.bytesSent() > total / 10,
                "both paths carry data: " + a.bytesSent() + " and " + b.bytesSent() + " of " + total);
        assertTrue(a.bytesSent() + b.bytesSent() >= total, "every byte was sent on some path");
        assertTrue(a.srttNs() > 0 && b.srttNs() > 0 && a.goodputBitsPerSecond() > 0, "measured: " + paths);
        // The server sees the same two paths (its own numbering) and received data on both.
        List<PathStats> serverPaths = server.sessions().getFirst().paths();
        assertEquals(2, serverPaths.size());
        assertTrue(serverPaths.stream().allMatch(p -> p.bytesReceived() > total / 10), serverPaths.toString());
    }

    @Test
    @Timeout(30)
    void removingAPathMidTransferKeepsItGoing() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(5)));
        PeerSession session = node(Duration.ofSeconds(5)).connect(server.ticket());
        session.addPath(from127002(), server.localAddress());
        long total = 96L << 20;
        long[] sentBefore = new long[2];
        // Path 0 carries the first control stream: removing it moves the control frames to path 1.
        transfer(session, total, 0.4, () -> {
            Map<Integer, PathStats> p = byId(session.paths());
            sentBefore[0] = p.get(0).bytesSent();
            sentBefore[1] = p.get(1).bytesSent();
            session.removePath(0);
        });
        Map<Integer, PathStats> after = byId(session.paths());
        assertEquals(PathState.CLOSED, after.get(0).state());
        assertEquals(PathState.ACTIVE, after.get(1).state());
        assertTrue(after.get(1).bytesSent() - sentBefore[1] >= total / 2,
                "path 1 carried the rest: " + (after.get(1).bytesSent() - sentBefore[1]));
        assertEquals(1, server.sessions().size(), "still one session on the server");
        IOException only = assertThrows(IOException.class, () -> session.removePath(1));
        assertTrue(only.getMessage().contains("only path"), only.getMessage());
    }

    @Test
    @Timeout(30)
    void aPathAddedMidTransferStartsCarryingData() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(5)));
        PeerSession session = node(Duration.ofSeconds(5)).connect(server.ticket());
        long total = 96L << 20;
        int[] added = {-1};
        transfer(session, total, 0.3, () -> added[0] = session.addPath(from127002(), server.localAddress()));
        PathStats second = byId(session.paths()).get(added[0]);
        assertTrue(second.bytesSent() > total / 20, "the new path carried " + second.bytesSent());
    }

    @Test
    @Timeout(30)
    void losingTheOnlyConnectionPausesAndResumes() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(10)));
        PeerSession session = node(Duration.ofSeconds(10)).connect(server.ticket());
        long total = 64L << 20;
        transfer(session, total, 0.4, () -> {
            // Kill the connection under the session from the server side, without a session Close: to both
            // sides it is a path that died.
            Session accepted = (Session) server.sessions().getFirst();
            CompletableFuture<Void> done = new CompletableFuture<>();
            accepted.loop().execute(() -> {
                accepted.paths.all().getFirst().connection().close(0x77, "pulled the plug");
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        });
        assertFalse(session.closeFuture().isDone(), "the session survived");
        List<PathStats> paths = session.paths();
        assertTrue(paths.stream().anyMatch(p -> p.state() == PathState.CLOSED), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.state() == PathState.ACTIVE && p.bytesSent() > 0),
                paths.toString());
        assertEquals(1, server.sessions().size(), "the server resumed the same session");
        assertTrue(((Session) session).bytesResent() <= 2L * (2 << 20) + (4 << 20),
                "re-sent " + ((Session) session).bytesResent() + " bytes, more than the in-flight window");
    }

    @Test
    @Timeout(30)
    void aSessionThePeerForgotFailsInsteadOfHanging() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(5)));
        QuiverNode client = node(Duration.ofSeconds(10));
        PeerSession session = client.connect(server.ticket());
        transfer(session, 1 << 20, 0, null);
        // The server forgets the session without a session Close (as when its grace ran out): the client sees
        // its path die, reconnects, and its join with the old token is refused.
        Session accepted = (Session) server.sessions().getFirst();
        accepted.loop().execute(() -> accepted.expire(new SessionClosedException("forgotten", -1)));
        SessionClosedException reason = session.closeFuture().get(20, TimeUnit.SECONDS);
        assertTrue(reason.getMessage().contains("no longer knows"), reason.getMessage());
        assertInstanceOf(SessionClosedException.class,
                assertThrows(IOException.class, () -> session.openStream(SERVICE, PriorityClass.BULK, 1)));
        assertTrue(server.sessions().isEmpty());
    }

    @Test
    @Timeout(30)
    void autoPathsOpensAPathPerTicketAddress() throws Exception {
        QuiverNode server = serve(node(Duration.ofSeconds(5)));
        QuiverNode client = QuiverNode.builder()
                .bindAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .autoPaths(true)
                .pathLocalAddresses(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")))
                .build();
        toClose.add(client);
        PeerSession session = client.connect(Ticket.of(server.nodeId(), List.of(server.localAddress())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.paths().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<PathStats> paths = session.paths();
        assertEquals(2, paths.size(), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.localAddress().getAddress().getHostAddress().equals("127.0.0.2")));
        transfer(session, 32L << 20, 0, null);
    }
}
