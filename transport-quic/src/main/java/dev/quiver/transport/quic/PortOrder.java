package dev.quiver.transport.quic;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * Repairs the ports Netty 4.2.18 reports in {@code QuicPathEvent}s and {@code QuicConnectionPathStats}: it reads
 * quiche's {@code sockaddr} port (network byte order) in the machine's order, so on x86 port 51380 (0xC8B4) shows
 * up as 46280 (0xB4C8). The packets themselves go to the right port (the send path decodes correctly). The bug
 * is detected, not assumed: the reported local port is compared with the port the connection's UDP socket is
 * really bound to, so a fixed Netty needs no change here. Stateless.
 */
final class PortOrder {
    private PortOrder() {
    }

    /** True if {@code reportedLocal}'s port is the byte-swapped port of {@code connection}'s UDP socket. */
    static boolean swapped(Channel connection, InetSocketAddress reportedLocal) {
        if (reportedLocal == null || connection.parent() == null
                || !(connection.parent().localAddress() instanceof InetSocketAddress actual)) {
            return false;
        }
        int reported = reportedLocal.getPort();
        return reported != actual.getPort() && swap(reported) == actual.getPort();
    }

    /** {@code address} with its port byte-swapped if {@code swapped}. */
    static InetSocketAddress fix(InetSocketAddress address, boolean swapped) {
        if (!swapped || address == null) {
            return address;
        }
        return new InetSocketAddress(address.getAddress(), swap(address.getPort()));
    }

    private static int swap(int port) {
        return ((port & 0xFF) << 8) | ((port >>> 8) & 0xFF);
    }
}
