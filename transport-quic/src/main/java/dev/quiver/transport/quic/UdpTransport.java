package dev.quiver.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket flavour under QUIC: Linux epoll with UDP GSO (send many packets per syscall, {@code UDP_SEGMENT})
 * and GRO (receive coalesced packets) when the native transport loads, Java NIO otherwise. Immutable.
 */
public final class UdpTransport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    // Linux caps one GSO send at 64 KiB of payload in total and at UDP_MAX_SEGMENTS (64) segments.
    static final int GSO_MAX_BYTES = 65_000;
    static final int GSO_MAX_SEGMENTS = 64;
    // With GRO the kernel may hand us up to 64 KiB of coalesced packets in one read.
    private static final int GRO_READ_BYTES = 65_536;

    private final boolean epoll;

    private UdpTransport(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll when {@code preferEpoll} and the native library loads; NIO otherwise (and says why once). */
    public static UdpTransport select(boolean preferEpoll) {
        if (preferEpoll && Epoll.isAvailable()) {
            return new UdpTransport(true);
        }
        if (preferEpoll) {
            LOG.info("Epoll unavailable ({}); QUIC uses Java NIO without GSO",
                    Epoll.unavailabilityCause().toString());
        }
        return new UdpTransport(false);
    }

    /**
     * Loads the native libraries a node needs (epoll when {@code preferEpoll}, QUIC) and initialises their classes,
     * so that {@link #select} and the QUIC codec find them ready: a node started on the command line does this on a
     * second thread while its identity is generated (each is 50-200 ms of a cold start). Safe to run concurrently
     * with them (class initialisation is once, under the JVM's lock); failures are left for them to report.
     */
    public static void preload(boolean preferEpoll) {
        if (preferEpoll) {
            Epoll.isAvailable();
        }
        Quic.isAvailable();
    }

    /** True when sockets use epoll with GSO/GRO. */
    public boolean isEpoll() {
        return epoll;
    }

    /** A new event loop group of this flavour; its threads are named after {@code name}. */
    public MultiThreadIoEventLoopGroup newEventLoopGroup(int threads, String name) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** Configures {@code bootstrap} for QUIC packets of up to {@code payloadBytes}. */
    public Bootstrap configure(Bootstrap bootstrap, int payloadBytes, int socketBufferBytes) {
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        bootstrap.channel(type);
        if (socketBufferBytes > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferBytes)
                    .option(ChannelOption.SO_SNDBUF, socketBufferBytes);
        }
        if (epoll) {
            bootstrap.option(EpollChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(GRO_READ_BYTES));
        } else {
            // NIO reads one datagram per buffer; Netty's default 2048-byte buffer would truncate large packets.
            bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(payloadBytes));
        }
        return bootstrap;
    }

    /** The GSO allocator for packets of up to {@code payloadBytes}, or {@code NONE} without epoll. */
    public SegmentedDatagramPacketAllocator segmentAllocator(int payloadBytes) {
        if (!epoll) {
            return SegmentedDatagramPacketAllocator.NONE;
        }
        int segments = Math.max(1, Math.min(GSO_MAX_SEGMENTS, GSO_MAX_BYTES / payloadBytes));
        return EpollQuicUtils.newSegmentedAllocator(segments);
    }

    @Override
    public String toString() {
        return epoll ? "epoll+GSO" : "NIO";
    }
}
