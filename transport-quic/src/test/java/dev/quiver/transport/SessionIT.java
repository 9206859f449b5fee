package dev.quiver.transport;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions and logical streams between two real nodes over UDP on loopback. */
class SessionIT {
    private static final int ECHO = 0x2000;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

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
            long t0 = System.nanoTime();
            stream.outputStream().write(data);
            stream.outputStream().close();
            assertArrayEquals(data, echoed.get(30, TimeUnit.SECONDS));
            System.out.printf("echo of %d bytes took %.1f ms%n", data.length, (System.nanoTime() - t0) / 1e6);
        }
        SessionStats stats = session.stats();
        assertEquals(1, stats.paths().size());
        assertTrue(stats.appBytesSent() >= data.length, stats.toString());
        assertTrue(stats.appBytesReceived() >= data.length, stats.toString());
        assertTrue(stats.paths().getFirst().rttNs() > 0, stats.toString());
    }
}
