package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bridges a circuit stream to this node's own QUIC endpoint through a local UDP socket (the proxy socket): every
 * datagram the socket receives from its local peer goes onto the stream as one framed packet
 * ({@link PacketFraming}), and every packet from the stream is sent to the local peer. On the dialer's side the
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

    private final LogicalStream stream;
    private final DatagramChannel socket;
    private final String name;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress localPeer;
    // Written by the sending virtual thread, read once at close (a debug line; a torn read is harmless).
    private volatile long packetsOut;
    private volatile long bytesOut;
    private volatile long writesOut;
    // Written by the receiving virtual thread.
    private volatile long packetsIn;
    private volatile long bytesIn;

    private PacketBridge(LogicalStream stream, DatagramChannel socket, InetSocketAddress localPeer, String name) {
        this.stream = stream;
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
     * Starts bridging {@code socket} (from {@link #openSocket}) to {@code stream}.
     *
     * @param localPeer the fixed local QUIC socket to exchange packets with, or null to learn it from the first
     *                  datagram
     */
    static PacketBridge start(LogicalStream stream, DatagramChannel socket, InetSocketAddress localPeer,
                              String name) {
        PacketBridge bridge = new PacketBridge(stream, socket, localPeer, name);
        Thread.ofVirtual().name("quiver-relay-up-" + name).start(bridge::socketToStream);
        Thread.ofVirtual().name("quiver-relay-down-" + name).start(bridge::streamToSocket);
        return bridge;
    }

    /** The proxy socket's address: the dialer's node dials it, the target's listener answers to it. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) socket.getLocalAddress();
    }

    /** Completes when both directions have ended (or the bridge was closed). */
    CompletableFuture<Void> done() {
        return done;
    }

    private void socketToStream() {
        byte[] batch = new byte[BATCH_BYTES + PacketFraming.HEADER_BYTES + PacketFraming.MAX_PACKET_BYTES + 1];
        OutputStream out = stream.outputStream();
        try {
            while (true) {
                int used = receiveFramed(batch, 0);
                // Drain what else is queued without blocking, so a burst costs one hand-over to the session (each
                // hand-over wakes the event loop) instead of one per packet.
                socket.configureBlocking(false);
                try {
                    int n;
                    while (used < BATCH_BYTES && (n = receiveFramed(batch, used)) >= 0) {
                        used += n;
                    }
                } finally {
                    socket.configureBlocking(true);
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
     * Receives one datagram into {@code buf[at + 2..]} and writes its length prefix at {@code at}.
     *
     * @return bytes added (0 for a dropped datagram), or -1 if none was queued (non-blocking mode)
     */
    private int receiveFramed(byte[] buf, int at) throws IOException {
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
        buf[at] = (byte) (length >>> 8);
        buf[at + 1] = (byte) length;
        packetsOut++;
        bytesOut += length;
        return PacketFraming.HEADER_BYTES + length;
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
        LOG.debug("Circuit {} closed: {} packets ({} bytes) onto the circuit in {} stream writes, {} packets ({} "
                + "bytes) from it", name, packetsOut, bytesOut, writesOut, packetsIn, bytesIn);
        done.complete(null);
    }
}
