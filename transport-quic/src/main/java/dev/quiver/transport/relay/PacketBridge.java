package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bridges a circuit to this node's own QUIC endpoint through a local UDP socket (the proxy socket): every datagram
 * the socket receives from its local peer goes to the relay as one circuit DATAGRAM ({@link CircuitDatagram}) on
 * the node's outer connection, or, if it is larger than that connection's DATAGRAMs carry, as one framed packet
 * ({@link PacketFraming}) on the circuit stream; every packet from either carrier is sent to the local peer. On the dialer's side the
 * local peer is the node's dial socket, learnt from the first datagram (the dial sends first); on the target's side
 * it is the node's QUIC listener. Datagrams from any other address are dropped, so the proxy is not an open
 * forwarder on the host.
 *
 * <p>Threads: two virtual threads, one per direction, own the socket's receive side and the stream's read side
 * (and each its own counters); {@link #close()} may be called from any thread and unblocks both. Packet bytes are
 * never logged; the packet and write counts are, at debug level when the bridge closes, because they show how the
 * inner QUIC connection uses the circuit (packet sizes, stream writes per packet).
 */
final class PacketBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketBridge.class);
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final int STREAM_READ_BUFFER_BYTES = 64 << 10;
    /** Most bytes of queued datagrams handed to the circuit stream in one write. */
    private static final int BATCH_BYTES = 64 << 10;
    /** Most circuit DATAGRAMs handed to the outer connection's event loop in one task. */
    private static final int DATAGRAM_BATCH = 64;
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private final LogicalStream stream;
    private final PeerSession outer;
    private final int circuitId;
    private final int maxDatagramPacketBytes;
    private final DatagramChannel socket;
    private final String name;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress localPeer;
    // Written by the sending virtual thread, read once at close (a debug line; a torn read is harmless).
    private volatile long packetsOut;
    private volatile long bytesOut;
    private volatile long writesOut;
    private volatile long datagramsOut;
    private volatile long datagramsIn;
    // Written by the receiving virtual thread.
    private volatile long packetsIn;
    private volatile long bytesIn;

    private PacketBridge(Circuit circuit, DatagramChannel socket, InetSocketAddress localPeer,
                         int maxDatagramPacketBytes, String name) {
        this.stream = circuit.stream();
        this.outer = circuit.relaySession();
        this.circuitId = circuit.id();
        this.maxDatagramPacketBytes = maxDatagramPacketBytes;
        this.socket = socket;
        this.localPeer = localPeer;
        this.name = name;
    }

    /**
     * Opens a proxy socket on {@code bindIp} (ephemeral port). A socket belongs to the network namespace of the
     * thread that creates it, so callers run this on a thread of the node's namespace.
     */
    static DatagramChannel openSocket(InetAddress bindIp) throws IOException {
        DatagramChannel socket = DatagramChannel.open(bindIp instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            socket.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(bindIp, 0));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Starts bridging {@code socket} (from {@link #openSocket}) to {@code circuit}; the caller routes the
     * circuit's DATAGRAMs to {@link #deliver}.
     *
     * @param localPeer              the fixed local QUIC socket to exchange packets with, or null to learn it from
     *                               the first datagram
     * @param maxDatagramPacketBytes largest packet sent as a circuit DATAGRAM; larger ones go on the stream
     */
    static PacketBridge start(Circuit circuit, DatagramChannel socket, InetSocketAddress localPeer,
                              int maxDatagramPacketBytes, String name) {
        PacketBridge bridge = new PacketBridge(circuit, socket, localPeer, maxDatagramPacketBytes, name);
        Thread.ofVirtual().name("quiver-relay-up-" + name).start(bridge::socketToStream);
        Thread.ofVirtual().name("quiver-relay-down-" + name).start(bridge::streamToSocket);
        return bridge;
    }

    /** The proxy socket's address: the dialer's node dials it, the target's listener answers to it. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) socket.getLocalAddress();
    }

    /** An open circuit: the relay session it runs through, its stream and the relay's ID of it. */
    record Circuit(PeerSession relaySession, LogicalStream stream, int id) {
    }

    /** Completes when both directions have ended (or the bridge was closed). */
    CompletableFuture<Void> done() {
        return done;
    }

    private void socketToStream() {
        byte[] batch = new byte[BATCH_BYTES + PacketFraming.HEADER_BYTES + PacketFraming.MAX_PACKET_BYTES + 1];
        OutputStream out = stream.outputStream();
        List<ByteBuf> datagrams = new ArrayList<>(DATAGRAM_BATCH);
        try {
            while (true) {
                int used = receive(batch, 0, datagrams);
                // Drain what else is queued without blocking, so a burst costs one hand-over to the session (each
                // hand-over wakes the event loop) instead of one per packet.
                socket.configureBlocking(false);
                try {
                    int n;
                    while (used < BATCH_BYTES && datagrams.size() < DATAGRAM_BATCH
                            && (n = receive(batch, used, datagrams)) >= 0) {
                        used += n;
                    }
                } finally {
                    socket.configureBlocking(true);
                }
                if (!datagrams.isEmpty()) {
                    outer.sendDatagrams(List.copyOf(datagrams));
                    datagrams.clear();
                }
                if (used > 0) {
                    out.write(batch, 0, used);
                    writesOut++;
                }
            }
        } catch (ClosedChannelException e) {
            // close() was called
        } catch (IOException e) {
            LOG.debug("Circuit {}: sending side ended: {}", name, e.toString());
        }
        close();
    }

    /**
     * Receives one datagram into {@code buf[at + 2..]}: a small one becomes a circuit DATAGRAM added to
     * {@code datagrams}, a large one stays there framed (its length prefix written at {@code at}).
     *
     * @return bytes added to {@code buf} (0 for a DATAGRAM or a dropped datagram), or -1 if none was queued
     *         (non-blocking mode)
     */
    private int receive(byte[] buf, int at, List<ByteBuf> datagrams) throws IOException {
        ByteBuffer payload = ByteBuffer.wrap(buf, at + PacketFraming.HEADER_BYTES, PacketFraming.MAX_PACKET_BYTES + 1)
                .slice();
        InetSocketAddress from = (InetSocketAddress) socket.receive(payload);
        if (from == null) {
            return -1;
        }
        InetSocketAddress expected = localPeer;
        if (expected == null) {
            localPeer = from;
        } else if (!expected.equals(from)) {
            LOG.debug("Circuit {}: dropping a datagram from {}, not the local QUIC socket", name, from);
            return 0;
        }
        int length = payload.position();
        if (length == 0 || length > PacketFraming.MAX_PACKET_BYTES) {
            LOG.debug("Circuit {}: dropping a {}-byte datagram", name, length);
            return 0;
        }
        if (length <= maxDatagramPacketBytes) {
            datagrams.add(CircuitDatagram.encode(ALLOC, circuitId, buf, at + PacketFraming.HEADER_BYTES, length));
            datagramsOut++;
            packetsOut++;
            bytesOut += length;
            return 0;
        }
        buf[at] = (byte) (length >>> 8);
        buf[at + 1] = (byte) length;
        packetsOut++;
        bytesOut += length;
        return PacketFraming.HEADER_BYTES + length;
    }

    /**
     * Sends the packet of circuit DATAGRAM {@code datagram} (already matched to this circuit) to the local peer;
     * runs on the outer connection's event loop and releases the buffer. A send to loopback UDP does not block
     * for long: the kernel drops rather than waits when the receiver's buffer is full.
     */
    void deliver(ByteBuf datagram) {
        try {
            InetSocketAddress to = localPeer;
            if (to == null || closed.get()) {
                return;
            }
            int prefix = CircuitDatagram.prefixBytesOf(datagram);
            socket.send(datagram.nioBuffer(datagram.readerIndex() + prefix, datagram.readableBytes() - prefix), to);
            datagramsIn++;
            packetsIn++;
            bytesIn += datagram.readableBytes() - prefix;
        } catch (IOException e) {
            LOG.debug("Circuit {}: cannot pass a packet on: {}", name, e.toString());
        } finally {
            datagram.release();
        }
    }

    private void streamToSocket() {
        byte[] packet = new byte[PacketFraming.MAX_PACKET_BYTES];
        InputStream in = new BufferedInputStream(stream.inputStream(), STREAM_READ_BUFFER_BYTES);
        try {
            int length;
            while ((length = PacketFraming.readPacket(in, packet)) >= 0) {
                InetSocketAddress to = localPeer;
                if (to != null) {
                    socket.send(ByteBuffer.wrap(packet, 0, length), to);
                    packetsIn++;
                    bytesIn += length;
                }
            }
        } catch (ClosedChannelException e) {
            // close() was called
        } catch (IOException e) {
            LOG.debug("Circuit {}: receiving side ended: {}", name, e.toString());
        }
        // Either direction ending ends the circuit: QUIC needs both, and the other side sees the stream end.
        close();
    }

    /** Closes the proxy socket and the circuit stream; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Circuit {}: closing the proxy socket: {}", name, e.toString());
        }
        stream.close();
        LOG.debug("Circuit {} closed: {} packets ({} bytes) onto the circuit ({} as DATAGRAMs, the rest in {} stream "
                + "writes), {} packets ({} bytes, {} DATAGRAMs) from it", name, packetsOut, bytesOut, datagramsOut,
                writesOut, packetsIn, bytesIn, datagramsIn);
        done.complete(null);
    }
}
