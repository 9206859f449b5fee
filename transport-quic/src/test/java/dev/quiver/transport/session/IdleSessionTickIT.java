package dev.quiver.transport.session;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle session (one path, nothing moving) must not wake its event loop 40 times a second: a relay holds a
 * thousand of them, and their ticks once starved circuit set-up for seconds. Stream data brings the fast tick back
 * at once (probing and stall checks need it), and the session settles again once the data stops. Real sockets on
 * loopback; tick counts, not timings, are asserted (a starved loop only ticks less).
 */
class IdleSessionTickIT {
    private static final int ECHO = 0x2001;

    @RegisterExtension
    final Closer toClose = new Closer();

    private QuiverNode node() throws IOException {
        QuiverNode node = QuiverNode.builder()
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(30)).build()).build();
        toClose.add(node);
        return node;
    }

    private static long ticksOver(Session session, long millis) throws Exception {
        long before = session.pathTicks();
        Thread.sleep(millis);
        return session.pathTicks() - before;
    }

    @Test
    @Timeout(60)
    void idleSessionTicksSlowlyAndDataBringsTheFastTickBack() throws Exception {
        QuiverNode server = node();
        server.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));
        Session dialer = (Session) node().connect(server.ticket());
        Thread.sleep(300);
        Session acceptor = (Session) server.sessions().getFirst();

        // Idle, no stream open: about one tick a second on both sides (the fast tick would be 80 in 2 s).
        assertTrue(ticksOver(dialer, 2000) <= 5, "an idle dialer session ticks at most about once a second");
        assertTrue(ticksOver(acceptor, 2000) <= 5, "an idle accepting session ticks at most about once a second");

        // Data on an open stream (more than a health ping's few bytes): the session is busy (probed) for a while
        // after it, so it ticks fast again.
        try (LogicalStream stream = dialer.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
            byte[] data = new byte[64 << 10];
            stream.outputStream().write(data);
            stream.outputStream().flush();
            assertEquals(data.length, stream.inputStream().readNBytes(data.length).length);
            long busyTicks = ticksOver(dialer, 1000);
            assertTrue(busyTicks >= 8, "a session with data moving ticks every 25 ms, got " + busyTicks + " in 1 s");
        }
        // The stream is closed: nothing to watch any more, the session settles back to the idle tick.
        Thread.sleep(1500);
        long settled = ticksOver(dialer, 2000);
        assertTrue(settled <= 5, "the session settles back to the idle tick, got " + settled + " in 2 s");
    }
}
