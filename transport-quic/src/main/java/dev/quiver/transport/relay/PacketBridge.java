package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bridges a relay circuit to this node's own QUIC endpoint. Two UDP sockets: the proxy socket on loopback, which
 * the node's QUIC endpoint exchanges packets with, and the relay socket, connected to the relay's data socket. Every
 * datagram the proxy receives from its local peer goes to the relay as a circuit datagram (this side's
 * {@link CircuitToken} and the packet, one UDP datagram); every circuit datagram from the relay that carries this
 * side's token goes to the local peer without the token. On the dialer's side the local peer is the node's dial
 * socket, learnt from the first datagram (the dial sends first); on the target's side it is the node's QUIC
 * listener. Datagrams from any other local address are dropped, so the proxy is not an open forwarder on the host.
 *
 * <p>The circuit stream carries nothing after set-up: its end or reset (the relay cut the circuit, the peer left)
 * closes the bridge, and closing the bridge ends the stream. Until a datagram arrives from the relay, the bridge
 * repeats a bind datagram (the token alone) every {@value #BIND_INTERVAL_MS} ms, so the relay learns this side's
 * address even before the inner QUIC sends (the target's side sends nothing until the dialer's first packet).
 *
 * <p>Threads: three virtual threads (proxy to relay, relay to proxy, stream watch) and a short-lived binder;
 * {@link #close()} may be called from any thread and unblocks all. Packet bytes are never logged; the counts are,
 * at debug level when the bridge closes.
 */
final class PacketBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketBridge.class);
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final long BIND_INTERVAL_MS = 100;
    private static final int BIND_ATTEMPTS = 100;

    private final LogicalStream stream;
    private final CircuitToken token;
    private final DatagramChannel proxy;
    private final DatagramChannel relay;
    private final String name;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress localPeer;
    private volatile boolean heardFromRelay;
    // Written by one forwarding thread each, read once at close (a debug line; a torn read is harmless).
    private volatile long packetsOut;
    private volatile long bytesOut;
    private volatile long packetsIn;
    private volatile long bytesIn;
    private final LongAdder dropped = new LongAdder();

    private PacketBridge(LogicalStream stream, CircuitToken token, DatagramChannel proxy, DatagramChannel relay,
                         InetSocketAddress localPeer, String name) {
        this.stream = stream;
        this.token = token;
        this.proxy = proxy;
        this.relay = relay;
        this.localPeer = localPeer;
        this.name = name;
    }

    /**
     * Opens an unconnected socket on {@code bindIp} (ephemeral port). A socket belongs to the network namespace of
     * the thread that creates it, so callers run this on a thread of the node's namespace.
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
     * Opens the relay socket: bound to {@code bindIp} (ephemeral port), connected to the relay's data address so
     * the kernel delivers only the relay's datagrams to it. Same namespace rule as {@link #openSocket}.
     */
    static DatagramChannel openRelaySocket(InetAddress bindIp, InetSocketAddress relayData) throws IOException {
        DatagramChannel socket = openSocket(bindIp);
        try {
            socket.connect(relayData);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Starts bridging: packets between {@code proxy}'s local peer and {@code relay} (connected to the relay's data
     * socket) under {@code token}; {@code stream} is the circuit stream whose end ends the bridge.
     *
     * @param localPeer the fixed local QUIC socket to exchange packets with, or null to learn it from the first
     *                  datagram
     */
    static PacketBridge start(LogicalStream stream, CircuitToken token, DatagramChannel proxy, DatagramChannel relay,
                              InetSocketAddress localPeer, String name) {
        PacketBridge bridge = new PacketBridge(stream, token, proxy, relay, localPeer, name);
        Thread.ofPlatform().daemon().name("quiver-relay-up-" + name).start(bridge::proxyToRelay);
        Thread.ofPlatform().daemon().name("quiver-relay-down-" + name).start(bridge::relayToProxy);
        Thread.ofVirtual().name("quiver-relay-watch-" + name).start(bridge::watchStream);
        Thread.ofVirtual().name("quiver-relay-bind-" + name).start(bridge::bind);
        return bridge;
    }

    /** The proxy socket's address: the dialer's node dials it, the target's listener answers to it. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) proxy.getLocalAddress();
    }

    /** Completes when the bridge has closed. */
    CompletableFuture<Void> done() {
        return done;
    }

    private void proxyToRelay() {
        ByteBuffer buf = ByteBuffer.allocateDirect(CircuitToken.MAX_DATAGRAM_BYTES + 1);
        token.write(buf);
        try {
            while (true) {
                buf.clear().position(CircuitToken.BYTES);
                InetSocketAddress from = (InetSocketAddress) proxy.receive(buf);
                InetSocketAddress expected = localPeer;
                if (expected == null) {
                    localPeer = from;
                } else if (!expected.equals(from)) {
                    LOG.debug("Circuit {}: dropping a datagram from {}, not the local QUIC socket", name, from);
                    dropped.increment();
                    continue;
                }
                int length = buf.position() - CircuitToken.BYTES;
                if (length == 0 || length > CircuitToken.MAX_PACKET_BYTES) {
                    dropped.increment();
                    continue;
                }
                buf.flip();
                sendToRelay(buf);
                packetsOut++;
                bytesOut += length;
            }
        } catch (ClosedChannelException e) {
            // close() was called
        } catch (IOException e) {
            LOG.debug("Circuit {}: sending side ended: {}", name, e.toString());
        }
        close();
    }

    private void relayToProxy() {
        ByteBuffer buf = ByteBuffer.allocateDirect(CircuitToken.MAX_DATAGRAM_BYTES + 1);
        try {
            while (true) {
                buf.clear();
                try {
                    relay.read(buf);
                } catch (PortUnreachableException e) {
                    // An ICMP error for an earlier send (the relay's data port not open yet or any more): keep going
                    // until the circuit stream says the circuit is over.
                    continue;
                }
                buf.flip();
                if (!token.matches(buf) || buf.remaining() > CircuitToken.MAX_DATAGRAM_BYTES) {
                    dropped.increment();
                    continue;
                }
                heardFromRelay = true;
                InetSocketAddress to = localPeer;
                int length = buf.remaining() - CircuitToken.BYTES;
                if (to == null || length == 0) {
                    continue;
                }
                proxy.send(buf.position(CircuitToken.BYTES), to);
                packetsIn++;
                bytesIn += length;
            }
        } catch (ClosedChannelException e) {
            // close() was called
        } catch (IOException e) {
            LOG.debug("Circuit {}: receiving side ended: {}", name, e.toString());
        }
        close();
    }

    /** Sends bind datagrams until the relay has forwarded something to this side (or the bridge closed). */
    private void bind() {
        ByteBuffer bind = ByteBuffer.allocate(CircuitToken.BYTES);
        token.write(bind);
        try {
            for (int i = 0; i < BIND_ATTEMPTS && !heardFromRelay && !closed.get(); i++) {
                sendToRelay(bind.clear());
                Thread.sleep(BIND_INTERVAL_MS);
            }
        } catch (ClosedChannelException e) {
            // close() was called
        } catch (IOException e) {
            LOG.debug("Circuit {}: cannot send a bind datagram: {}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendToRelay(ByteBuffer datagram) throws IOException {
        try {
            relay.write(datagram);
        } catch (PortUnreachableException e) {
            // An ICMP error for an earlier datagram; this one is lost like any UDP datagram, QUIC recovers.
            dropped.increment();
        }
    }

    /** The circuit stream carries nothing after set-up: its end or reset means the circuit is over. */
    private void watchStream() {
        try {
            if (stream.inputStream().read() >= 0) {
                LOG.debug("Circuit {}: unexpected bytes on the circuit stream", name);
            }
        } catch (IOException e) {
            LOG.debug("Circuit {}: circuit stream ended: {}", name, e.toString());
        }
        close();
    }

    /** Closes both sockets and the circuit stream; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(proxy);
        closeQuietly(relay);
        stream.close();
        LOG.debug("Circuit {} closed: {} packets ({} bytes) to the relay, {} packets ({} bytes) from it, {} dropped",
                name, packetsOut, bytesOut, packetsIn, bytesIn, dropped.sum());
        done.complete(null);
    }

    private void closeQuietly(DatagramChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Circuit {}: closing a socket: {}", name, e.toString());
        }
    }
}
