package dev.quiver.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class QuicConfigTest {
    @Test
    void defaultsAreConservativeOffLoopbackAndLargeOnIt() {
        QuicConfig config = QuicConfig.defaults();
        assertEquals(CongestionControl.CUBIC, config.congestionControl());
        assertEquals(QuicConfig.MIN_UDP_PAYLOAD_BYTES, config.udpPayloadBytes());
        assertEquals(QuicConfig.DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES, config.loopbackUdpPayloadBytes());
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().udpPayloadBytes(1199).build());
        assertThrows(IllegalArgumentException.class,
                () -> QuicConfig.builder().loopbackUdpPayloadBytes(QuicConfig.MAX_UDP_PAYLOAD_BYTES + 1).build());
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().idleTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().idleTimeout(Duration.ofSeconds(5))
                .keepAliveInterval(Duration.ofSeconds(5)).build());
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().initialMaxDataBytes(-1).build());
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().eventLoopThreads(0).build());
        assertThrows(IllegalArgumentException.class, () -> QuicConfig.builder().datagramQueueLength(0).build());
        QuicConfig.builder().datagramQueueLength(0).keepAliveInterval(Duration.ZERO).build();
    }

    @Test
    void goodputIsComputedFromStreamBytesOverTime() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
        NodeId peer = NodeId.of(new byte[32]);
        ConnectionStats earlier = new ConnectionStats(peer, a, a, 1_000_000_000L, 1, 1, 1200, 0, 0, 0, 0, 100, 1,
                125_000_000L, 0);
        ConnectionStats later = new ConnectionStats(peer, a, a, 2_000_000_000L, 1, 1, 1200, 0, 0, 0, 0, 200, 2,
                250_000_000L, 125_000_000L);
        assertEquals(1e9, earlier.averageGoodputBitsPerSecond(), 1);
        assertEquals(2e9, later.goodputBitsPerSecondSince(earlier), 1);
        assertEquals(0.01, later.lossRatio(), 1e-9);
    }
}
