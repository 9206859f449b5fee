package dev.quiver.transport.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The relay's one UDP data socket: forwards circuit datagrams ({@link CircuitToken}) between the two sides of each
 * circuit without any outer QUIC layer (TURN channels, RFC 8656 §12, with 128-bit random tokens). The inner QUIC
 * packets are encrypted and authenticated end to end, so the relay only has to make sure a datagram goes to the
 * circuit its token names and comes from the address that side bound:
 * <ul>
 *   <li>a datagram whose token is unknown, that is shorter than a token or longer than
 *       {@link CircuitToken#MAX_DATAGRAM_BYTES} is dropped and counted;</li>
 *   <li>the first datagram with a side's token binds that side to its source address; a later one from any other
 *       source is dropped and counted (so a token seen on the path still cannot move or hijack the circuit; what a
 *       token thief could inject from the bound address is garbage the inner QUIC drops);</li>
 *   <li>a datagram that is only a token binds and is not forwarded; one for a side whose peer has not bound yet is
 *       dropped (the inner QUIC retransmits);</li>
 *   <li>otherwise the token is overwritten with the receiving side's token and the datagram sent to its bound
 *       address from the same buffer (no copy), after counting the packet bytes against the circuit's budget.</li>
 * </ul>
 *
 * <p>Threads: one platform thread receives and forwards (blocking socket; the two syscalls per packet are the
 * whole cost); {@link #register}/{@link #unregister} may be called from any thread. One socket per relay, so an
 * idle reservation costs nothing here.
 */
final class RelayDataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayDataPlane.class);
    private static final int SOCKET_BUFFER_BYTES = 8 << 20;

    private final DatagramChannel socket;
    private final ForwardObserver observer;
    private final LongAdder relayedTotal;
    private final Map<CircuitToken, RelayCircuit.Side> sides = new ConcurrentHashMap<>();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unknownToken = new LongAdder();
    private final LongAdder foreignSource = new LongAdder();
    private final LongAdder peerUnbound = new LongAdder();
    private final Thread loop;

    private RelayDataPlane(DatagramChannel socket, ForwardObserver observer, LongAdder relayedTotal) {
        this.socket = socket;
        this.observer = observer;
        this.relayedTotal = relayedTotal;
        this.loop = Thread.ofPlatform().daemon().name("quiver-relay-data").start(this::forward);
    }

    /**
     * Opens the data socket on {@code bindIp}:{@code port} (0: ephemeral) and starts forwarding. A socket belongs to the network
     * namespace of the thread that creates it: call this on a thread of the relay's namespace.
     */
    static RelayDataPlane open(InetAddress bindIp, int port, ForwardObserver observer, LongAdder relayedTotal)
            throws IOException {
        DatagramChannel socket = DatagramChannel.open(bindIp instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            socket.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(bindIp, port));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new RelayDataPlane(socket, observer, relayedTotal);
    }

    /** The data socket's port (nodes send to the relay's IP they reached it on, at this port). */
    int port() {
        try {
            return ((InetSocketAddress) socket.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("the relay's data socket is closed", e);
        }
    }

    /** Datagrams dropped so far: {malformed or oversize, unknown token, foreign source, peer not bound}. */
    long[] dropped() {
        return new long[] {malformed.sum(), unknownToken.sum(), foreignSource.sum(), peerUnbound.sum()};
    }

    /** Starts forwarding the datagrams of {@code side}'s token. */
    void register(RelayCircuit.Side side) {
        if (sides.putIfAbsent(side.token(), side) != null) {
            throw new IllegalStateException("circuit token collision (2^-128): refusing the circuit");
        }
    }

    /** Stops forwarding {@code side}'s datagrams; idempotent. */
    void unregister(RelayCircuit.Side side) {
        sides.remove(side.token(), side);
    }

    private void forward() {
        ByteBuffer buf = ByteBuffer.allocateDirect(CircuitToken.MAX_DATAGRAM_BYTES + 1);
        byte[] seen = observer == ForwardObserver.NONE ? null : new byte[CircuitToken.MAX_PACKET_BYTES];
        while (true) {
            InetSocketAddress from;
            try {
                buf.clear();
                from = (InetSocketAddress) socket.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("Relay data socket receive failed: {}", e.toString());
                continue;
            }
            buf.flip();
            RelayCircuit.Side side = route(buf, from);
            if (side == null) {
                continue;
            }
            int length = buf.remaining() - CircuitToken.BYTES;
            RelayCircuit.Side to = side.other();
            InetSocketAddress dest = to.bound();
            if (length == 0) {
                continue;
            }
            if (dest == null) {
                peerUnbound.increment();
                continue;
            }
            if (!side.circuit().count(length)) {
                continue;
            }
            if (seen != null) {
                buf.get(CircuitToken.BYTES, seen, 0, length);
                observer.forwarded(side.node(), to.node(), seen, 0, length);
            }
            to.token().write(buf);
            try {
                socket.send(buf, dest);
                relayedTotal.add(length);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("Relay data socket send to {} failed: {}", dest, e.toString());
            }
        }
    }

    /** The side a received datagram belongs to, having bound it on first use; null (and counted) to drop it. */
    private RelayCircuit.Side route(ByteBuffer datagram, InetSocketAddress from) {
        CircuitToken token;
        try {
            token = CircuitToken.read(datagram);
        } catch (RelayProtocolException e) {
            malformed.increment();
            return null;
        }
        RelayCircuit.Side side = sides.get(token);
        if (side == null) {
            unknownToken.increment();
            return null;
        }
        if (!side.bind(from)) {
            foreignSource.increment();
            return null;
        }
        return side;
    }

    /** Closes the data socket; the forwarding thread ends. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the relay data socket: {}", e.toString());
        }
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
