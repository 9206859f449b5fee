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
    /** What the last decisive comparison showed; the bug belongs to the Netty build, so it holds process-wide. */
    private static volatile boolean lastSeenSwapped;

    private PortOrder() {
    }

    /**
     * True if {@code reportedLocal}'s port is the byte-swapped port of {@code connection}'s UDP socket. A port
     * that reads the same both ways (0x1A1A) cannot tell, and then the last decisive answer is used.
     */
    static boolean swapped(Channel connection, InetSocketAddress reportedLocal) {
        if (reportedLocal == null || connection.parent() == null
                || !(connection.parent().localAddress() instanceof InetSocketAddress actual)) {
            return lastSeenSwapped;
        }
        int reported = reportedLocal.getPort();
        if (swap(actual.getPort()) == actual.getPort()) {
            return lastSeenSwapped;
        }
        boolean swapped = reported != actual.getPort() && swap(reported) == actual.getPort();
        lastSeenSwapped = swapped;
        return swapped;
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
