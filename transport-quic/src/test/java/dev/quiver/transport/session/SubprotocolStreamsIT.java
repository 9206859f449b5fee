package dev.quiver.transport.session;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several logical streams of one subprotocol in one session, at once and one after another: each open gets its
 * own logical stream ID (service ID plus an instance number), so a stream is never mistaken for an earlier one of
 * the same service that closed (or is still closing) on either side.
 */
class SubprotocolStreamsIT {
    private static final int ECHO = 0x2000;

    @RegisterExtension
    final Closer toClose = new Closer();

    private QuiverNode node() throws IOException {
        QuiverNode node = QuiverNode.builder().limits(SessionLimits.DEFAULT)
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(20)).build()).build();
        toClose.add(node);
        return node;
    }

    private static byte[] echo(PeerSession session, byte[] data) throws Exception {
        try (LogicalStream stream = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1);
             ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(ECHO, stream.id().subprotocolId());
            Future<byte[]> echoed = reader.submit(() -> stream.inputStream().readAllBytes());
            stream.outputStream().write(data);
            stream.outputStream().close();
            return echoed.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void concurrentStreamsOfOneServiceEachGetTheirOwnBytes() throws Exception {
        QuiverNode server = node();
        Set<Long> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
        server.handle(ECHO, (session, stream) -> {
            served.add(stream.id().raw());
            stream.inputStream().transferTo(stream.outputStream());
        });
        PeerSession session = node().connect(server.ticket());
        int streams = 8;
        List<Future<byte[]>> results = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                byte[] data = new byte[256 << 10];
                new Random(i).nextBytes(data);
                sent.add(data);
                results.add(pool.submit(() -> echo(session, data)));
            }
            for (int i = 0; i < streams; i++) {
                assertArrayEquals(sent.get(i), results.get(i).get(30, TimeUnit.SECONDS), "stream " + i);
            }
        }
        assertEquals(streams, served.size(), "each open is a distinct logical stream at the server");
    }

    @Test
    @Timeout(60)
    void reopeningOneServiceRightAfterCloseWorksEveryTime() throws Exception {
        QuiverNode server = node();
        server.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
        PeerSession session = node().connect(server.ticket());
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[1 + i * 37];
            new Random(i).nextBytes(data);
            assertArrayEquals(data, echo(session, data), "round " + i);
            try (LogicalStream probe = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
                assertTrue(ids.add(probe.id().raw()), "instance numbers are not reused: " + probe.id());
            }
        }
        assertFalse(session.closeFuture().isDone(), "the session survived every reopen");
    }
}
