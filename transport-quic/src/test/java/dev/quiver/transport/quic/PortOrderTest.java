package dev.quiver.transport.quic;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection and repair of byte-swapped ports, against a real socket address. */
@Timeout(10)
class PortOrderTest {
    private static final InetAddress IP = InetAddress.getLoopbackAddress();

    /** A connection channel whose parent (the UDP socket) is bound to {@code port}. */
    private static EmbeddedChannel connectionOn(int port) {
        EmbeddedChannel socket = new EmbeddedChannel() {
            @Override
            public java.net.SocketAddress localAddress() {
                return new InetSocketAddress(IP, port);
            }
        };
        return new EmbeddedChannel(socket, io.netty.channel.DefaultChannelId.newInstance(), true,
                false);
    }

    @Test
    void swappedPortsAreDetectedAndRepaired() {
        EmbeddedChannel connection = connectionOn(51380);          // 0xC8B4
        InetSocketAddress reported = new InetSocketAddress(IP, 46280); // 0xB4C8
        assertTrue(PortOrder.swapped(connection, reported));
        assertEquals(51380, PortOrder.fix(reported, true).getPort());
        assertEquals(new InetSocketAddress(IP, 9186), PortOrder.fix(new InetSocketAddress(IP, 57891), true));
    }

    @Test
    void correctPortsAreLeftAlone() {
        EmbeddedChannel connection = connectionOn(51380);
        InetSocketAddress reported = new InetSocketAddress(IP, 51380);
        assertFalse(PortOrder.swapped(connection, reported));
        assertSame(reported, PortOrder.fix(reported, false));
    }

    @Test
    void palindromicPortsUseTheLastDecisiveAnswer() {
        assertTrue(PortOrder.swapped(connectionOn(51380), new InetSocketAddress(IP, 46280)));
        assertTrue(PortOrder.swapped(connectionOn(0x1A1A), new InetSocketAddress(IP, 0x1A1A)));
        assertFalse(PortOrder.swapped(connectionOn(51380), new InetSocketAddress(IP, 51380)));
        assertFalse(PortOrder.swapped(connectionOn(0x1A1A), new InetSocketAddress(IP, 0x1A1A)));
    }
}
