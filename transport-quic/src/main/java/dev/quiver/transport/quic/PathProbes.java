package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * After the client moved its socket, sends a few bursts of padded QUIC DATAGRAMs on each moved connection so the
 * server hears from the new address at once, instead of after the client's next loss-detection timeout.
 *
 * <p>Why padded and why repeated: until the server has validated the new address it may send only three times
 * what it received from there (RFC 9000 §8.1 and §9.3.1), and quiche fails the validation outright when that
 * budget cannot carry a padded PATH_CHALLENGE; ack-only packets from a client that is mostly sending would leave
 * it almost nothing. quiche pads the challenge to the listener's largest payload (up to 16383 bytes with the
 * default loopback setting), so one burst of eight 1100-byte datagrams buys it about 26 KB. If a validation still fails, quiche falls back to the old address; every later non-probing
 * packet from the new one starts the migration again (RFC 9000 §9.3), which the later bursts provide. The
 * datagrams start with the keep-alive byte, so the peer's {@link ConnectionLifecycle} drops them.
 */
final class PathProbes {
    /** Payload of one probe datagram: with QUIC overhead the packet exceeds 1,100 bytes yet fits any path. */
    static final int PROBE_BYTES = 1100;
    private static final int DATAGRAMS_PER_BURST = 8;
    private static final long[] BURST_DELAYS_MS = {0, 50, 150, 350, 750, 1550, 3150};
    private static final Logger LOG = LoggerFactory.getLogger(PathProbes.class);

    private PathProbes() {
    }

    /** Schedules the bursts on {@code channel}'s event loop. */
    static void afterMove(QuicChannel channel) {
        for (long delayMs : BURST_DELAYS_MS) {
            channel.eventLoop().schedule(() -> burst(channel), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private static void burst(QuicChannel channel) {
        if (!channel.isActive()) {
            return;
        }
        for (int i = 0; i < DATAGRAMS_PER_BURST; i++) {
            ByteBuf probe = channel.alloc().buffer(PROBE_BYTES).writeZero(PROBE_BYTES);
            channel.write(probe).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("Migration probe on {} failed: {}", channel.remoteSocketAddress(), f.cause().toString());
                }
            });
        }
        channel.flush();
    }
}
