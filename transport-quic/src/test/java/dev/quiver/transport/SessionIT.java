package dev.quiver.transport;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.transport.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions and logical streams between two real nodes over UDP on loopback. */
class SessionIT {
    private static final int ECHO = 0x2000;

    @RegisterExtension
    final Closer toClose = new Closer();

    private QuiverNode node(SessionLimits limits) throws IOException {
        QuiverNode node = QuiverNode.builder().limits(limits)
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(20)).build()).build();
        toClose.add(node);
        return node;
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    @Timeout(300)
    void thousandsOfConcurrentStreamsArriveIntact() throws Exception {
        int streams = 2000;
        Map<StreamId, byte[]> serverHashes = new ConcurrentHashMap<>();
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(StreamKind.BLOB, (session, stream) -> {
            byte[] data = stream.inputStream().readAllBytes();
            serverHashes.put(stream.id(), Blake3.hash(data));
            stream.outputStream().write(data);
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());

        Map<StreamId, byte[]> sentHashes = new ConcurrentHashMap<>();
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    byte[] data = new byte[random.nextInt(64 * 1024 + 1)];
                    random.nextBytes(data);
                    try (LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK,
                            1 + random.nextInt(8))) {
                        sentHashes.put(stream.id(), Blake3.hash(data));
                        Future<byte[]> echo = pool.submit(() -> stream.inputStream().readAllBytes());
                        stream.outputStream().write(data);
                        stream.outputStream().close();
                        return Arrays.equals(Blake3.hash(data), Blake3.hash(echo.get(240, TimeUnit.SECONDS)));
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(280, TimeUnit.SECONDS), "echo differs from what was sent");
            }
        }
        assertEquals(streams, sentHashes.size());
        for (Map.Entry<StreamId, byte[]> e : sentHashes.entrySet()) {
            assertArrayEquals(e.getValue(), serverHashes.get(e.getKey()), "server hash of " + e.getKey());
        }
        SessionStats stats = session.stats();
        assertEquals(streams, stats.streamsOpened());
    }

    @Test
    @Timeout(120)
    void stalledReaderBoundsSenderAndReceiverMemory() throws Exception {
        int window = 64 << 10;
        SessionLimits limits = new SessionLimits(window, 64, 16 << 10, 1 << 20, 64);
        CountDownLatch readAgain = new CountDownLatch(1);
        CompletableFuture<LogicalStream> accepted = new CompletableFuture<>();
        CompletableFuture<byte[]> serverHash = new CompletableFuture<>();
        QuiverNode server = node(limits);
        server.handle(StreamKind.BLOB, (session, stream) -> {
            accepted.complete(stream);
            readAgain.await();
            serverHash.complete(Blake3.hash(stream.inputStream().readAllBytes()));
        });
        QuiverNode client = node(limits);
        PeerSession session = client.connect(server.ticket());

        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 1);
        Future<?> writer = Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            stream.outputStream().write(data);
            stream.outputStream().close();
            return null;
        });
        // Wait until the writer is stuck: its progress stops while the reader sleeps.
        StreamStats before;
        StreamStats after = stream.stats();
        do {
            before = after;
            Thread.sleep(300);
            after = stream.stats();
        } while (after.bytesWritten() != before.bytesWritten() || after.bytesWritten() == 0);
        assertTrue(after.bytesWritten() < data.length, "the writer never blocked: " + after);
        assertTrue(after.sendBufferedBytes() <= window, after.toString());
        assertTrue(after.maxSendBufferedBytes() <= window, after.toString());
        // Handed over at most: our window, the receiver's window and its reader queue (half a window).
        assertTrue(after.bytesWritten() <= window + window + window / 2, after.toString());
        StreamStats receiver = accepted.get(10, TimeUnit.SECONDS).stats();
        assertTrue(receiver.maxReceiveBufferedBytes() <= window + window / 2, receiver.toString());
        assertEquals(0, receiver.bytesReceived());

        readAgain.countDown();
        writer.get(60, TimeUnit.SECONDS);
        assertArrayEquals(Blake3.hash(data), serverHash.get(60, TimeUnit.SECONDS));
        StreamStats done = stream.stats();
        assertTrue(done.maxSendBufferedBytes() <= window, done.toString());
        assertEquals(data.length, done.bytesWritten());
        stream.close();
    }

    @Test
    @Timeout(60)
    void resetReachesThePeerAsTypedException() throws Exception {
        CompletableFuture<Throwable> serverSaw = new CompletableFuture<>();
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(StreamKind.BLOB, (session, stream) -> {
            try {
                stream.inputStream().readAllBytes();
                serverSaw.complete(null);
            } catch (IOException e) {
                serverSaw.complete(e);
            }
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.INTERACTIVE, 4);
        stream.outputStream().write(new byte[10_000]);
        stream.outputStream().flush();
        stream.reset(0x77);

        Throwable seen = serverSaw.get(30, TimeUnit.SECONDS);
        StreamResetException reset = assertInstanceOf(StreamResetException.class, seen);
        assertEquals(0x77, reset.errorCode());
        // Our own side fails too, with the local code.
        IOException local = assertThrows(IOException.class, () -> stream.outputStream().write(1));
        assertEquals(0x77, assertInstanceOf(StreamResetException.class, local).errorCode());
    }

    @Test
    @Timeout(60)
    void peerResetSurfacesOnRead() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(StreamKind.BLOB, (session, stream) -> {
            stream.outputStream().write(new byte[1000]);
            stream.reset(ProtocolError.CANCELLED.code());
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        try (LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 1)) {
            stream.outputStream().write(1);
            StreamResetException e = assertThrows(StreamResetException.class,
                    () -> stream.inputStream().readAllBytes());
            assertEquals(ProtocolError.CANCELLED.code(), e.errorCode());
        }
    }

    @Test
    @Timeout(60)
    void connectIsPinnedToTheTicketsNodeId() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        QuiverNode other = node(SessionLimits.DEFAULT);
        QuiverNode client = node(SessionLimits.DEFAULT);
        Ticket forged = Ticket.of(other.nodeId(), List.of(server.localAddress()));
        PeerIdentityMismatchException e = assertThrows(PeerIdentityMismatchException.class,
                () -> client.connect(forged));
        assertTrue(e.getMessage().contains(other.nodeId().toString()), e.getMessage());
        assertTrue(client.sessions().isEmpty(), "no session for a failed handshake");
        assertEquals(server.nodeId(), client.connect(server.ticket()).peer());
    }

    @Test
    @Timeout(60)
    void echoOneStream() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        assertEquals(server.nodeId(), session.peer());

        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.BULK, 1)) {
            Future<byte[]> echoed = Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> readAll(stream.inputStream()));
            stream.outputStream().write(data);
            stream.outputStream().close();
            assertArrayEquals(data, echoed.get(30, TimeUnit.SECONDS));
        }
        SessionStats stats = session.stats();
        assertEquals(1, stats.paths().size());
        assertTrue(stats.appBytesSent() >= data.length, stats.toString());
        assertTrue(stats.appBytesReceived() >= data.length, stats.toString());
        assertTrue(stats.paths().getFirst().rttNs() > 0, stats.toString());
    }

    /**
     * A bulk transfer fills QUIC packets: frames written in one pump reach quiche as one write (each write makes
     * quiche send at once, and a write per 64 KiB frame left a sliver packet after every frame), and data freed by
     * acknowledgements leaves with quiche's own ACKs instead of after an ACK-only packet. Loopback packets carry up
     * to 16 383 bytes; a write per frame averaged 11.6 KB, batched writes average 14.3 KB.
     */
    @Test
    @Timeout(60)
    void aBulkTransferFillsQuicPackets() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> {
            stream.inputStream().transferTo(OutputStream.nullOutputStream());
            stream.outputStream().write(1);
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        sendToSink(session, 128); // warm-up: congestion window and JIT
        ConnectionStats before = session.stats().paths().getFirst();
        sendToSink(session, 128);
        ConnectionStats after = session.stats().paths().getFirst();
        long packets = after.sentPackets() - before.sentPackets();
        long bytesPerPacket = (after.sentBytes() - before.sentBytes()) / packets;
        assertTrue(bytesPerPacket > 13_000, bytesPerPacket + " bytes per QUIC packet (" + packets + " packets)");
    }

    /**
     * A bulk transfer's frames carry the {@code more} hint, so a reader asking for 256 KiB is woken once the bytes
     * it asked for are there, not at the end of every 64 KiB frame: a wake-up costs a carrier thread's park and
     * unpark, the largest share of a transfer's futex calls and context switches. Woken per frame, a reader that
     * keeps up with the network gets 64 KiB or less per read.
     */
    @Test
    @Timeout(60)
    void aBulkReaderGetsWhatItAskedForPerRead() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> {
            byte[] buf = new byte[256 << 10];
            long bytes = 0;
            long reads = 0;
            for (int n; (n = stream.inputStream().read(buf)) >= 0; ) {
                bytes += n;
                reads++;
            }
            new java.io.DataOutputStream(stream.outputStream()).writeLong(bytes / reads);
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        byte[] chunk = new byte[256 << 10];
        new Random(3).nextBytes(chunk);
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.BULK, 1)) {
            for (int i = 0; i < 256; i++) {
                stream.outputStream().write(chunk);
            }
            stream.outputStream().close();
            long bytesPerRead = new java.io.DataInputStream(stream.inputStream()).readLong();
            assertTrue(bytesPerRead >= 128 << 10, bytesPerRead + " bytes per read of 256 KiB asked");
        }
    }

    /**
     * The other half of that rule: a message ends a frame without the hint (the sender had nothing more queued),
     * so a reader asking for far more than the message still gets it at once, every time.
     */
    @Test
    @Timeout(60)
    void aSmallMessageReachesAReaderAskingForMore() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = stream.inputStream().read(buf)) >= 0; ) {
                stream.outputStream().write(buf, 0, n);
            }
        });
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        Random random = new Random(4);
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
            for (int i = 0; i < 200; i++) {
                byte[] message = new byte[1 + random.nextInt(3000)];
                random.nextBytes(message);
                stream.outputStream().write(message);
                assertArrayEquals(message, stream.inputStream().readNBytes(message.length));
            }
        }
    }

    /** Sends {@code mib} MiB on a new bulk stream to a handler that drops them and answers one byte. */
    private static void sendToSink(PeerSession session, int mib) throws IOException {
        byte[] chunk = new byte[256 << 10];
        new Random(2).nextBytes(chunk);
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.BULK, 1)) {
            for (int i = 0; i < mib * 4; i++) {
                stream.outputStream().write(chunk);
            }
            stream.outputStream().close();
            assertEquals(1, stream.inputStream().read());
        }
    }

    /**
     * An open stream on which nothing moves (a relay reservation, a parked channel) must not keep the path busy:
     * single-path probing (a Ping every 50 ms) is for sessions whose data is moving, or a relay's thousand idle
     * reservations would each cost it 20 packets a second.
     */
    @Test
    @Timeout(60)
    void anOpenButQuietStreamIsNotProbed() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
            stream.outputStream().write(new byte[] {1, 2, 3});
            stream.outputStream().flush();
            assertArrayEquals(new byte[] {1, 2, 3}, stream.inputStream().readNBytes(3));
            Thread.sleep(6_000); // past the busy window after the echo's data (SessionPaths.BUSY_AFTER_DATA_NS)
            long before = session.stats().paths().getFirst().sentPackets();
            Thread.sleep(2_000);
            long sent = session.stats().paths().getFirst().sentPackets() - before;
            // Probing would send 40 Pings in 2 s; a quiet session sends a keep-alive or a late ack at most.
            assertTrue(sent < 10, sent + " QUIC packets sent in 2 s on a quiet session");
        }
    }

    /**
     * A few dozen bytes now and then (a relay reservation's health ping every 5 s) do not make a session busy: its
     * only path is not probed between them.
     */
    @Test
    @Timeout(60)
    void aSmallExchangeNowAndThenIsNotProbed() throws Exception {
        QuiverNode server = node(SessionLimits.DEFAULT);
        server.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
        QuiverNode client = node(SessionLimits.DEFAULT);
        PeerSession session = client.connect(server.ticket());
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
            byte[] ping = new byte[32];
            long before = session.stats().paths().getFirst().sentPackets();
            for (int i = 0; i < 4; i++) {
                stream.outputStream().write(ping);
                stream.outputStream().flush();
                assertArrayEquals(ping, stream.inputStream().readNBytes(ping.length));
                Thread.sleep(1_000);
            }
            long sent = session.stats().paths().getFirst().sentPackets() - before;
            // Probing every 50 ms would add about 80 Pings in these 4 s; four exchanges take a few packets each.
            assertTrue(sent < 30, sent + " QUIC packets sent in 4 s of small exchanges");
        }
    }
}
