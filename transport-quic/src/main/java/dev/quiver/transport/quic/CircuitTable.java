package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An endpoint's relay circuit sides, by virtual peer address (outbound) and by token (inbound), shared by the
 * {@link CircuitHandler}s of all its UDP sockets.
 *
 * <p>Virtual addresses come from the IPv6 discard prefix {@code 100::/64} (RFC 6666): a counter in the low 64 bits,
 * port {@value #VIRTUAL_PORT}. They never reach the kernel: a datagram to one without a live side is dropped by the
 * handler, and even a leak would be discarded by the network (RFC 6666 §3).
 *
 * <p>Thread-safe (concurrent maps; sides are added by callers, looked up on the event loops).
 */
final class CircuitTable {
    /** Bytes of a circuit token, before every packet on the wire between a node and the relay. */
    static final int TOKEN_BYTES = 16;
    static final int VIRTUAL_PORT = 1;

    private final Map<InetSocketAddress, CircuitSide> byVirtual = new ConcurrentHashMap<>();
    private final Map<Token, CircuitSide> byToken = new ConcurrentHashMap<>();
    private final AtomicLong nextVirtual = new AtomicLong(1);
    private final LongAdder dropped = new LongAdder();
    /** Sides registered; the handler skips every lookup while it is 0 (no relayed circuit on this node). */
    private volatile int size;

    /**
     * Registers a side: {@code token} (16 bytes) is this side's at the relay's data socket {@code relayData}.
     *
     * @throws IllegalArgumentException if the token is not 16 bytes or already registered
     */
    CircuitSide register(InetSocketAddress relayData, byte[] token) {
        Objects.requireNonNull(relayData, "relayData");
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException("a circuit token has " + TOKEN_BYTES + " bytes, got " + token.length);
        }
        ByteBuffer bytes = ByteBuffer.wrap(token);
        Token key = new Token(bytes.getLong(0), bytes.getLong(8));
        CircuitSide side = new CircuitSide(this, virtualAddress(nextVirtual.getAndIncrement()), relayData, key);
        synchronized (this) {
            if (byToken.putIfAbsent(key, side) != null) {
                throw new IllegalArgumentException("circuit token already registered");
            }
            byVirtual.put(side.virtualAddress(), side);
            size++;
        }
        return side;
    }

    synchronized void remove(CircuitSide side) {
        if (byToken.remove(side.token(), side)) {
            byVirtual.remove(side.virtualAddress(), side);
            size--;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The side whose virtual address is {@code peer}, or null. */
    CircuitSide byVirtual(InetSocketAddress peer) {
        return byVirtual.get(peer);
    }

    /** The side whose token is {@code hi, lo}, or null. */
    CircuitSide byToken(long hi, long lo) {
        return byToken.get(new Token(hi, lo));
    }

    /** Counts a datagram dropped because its virtual recipient has no live side. */
    void countDropped() {
        dropped.increment();
    }

    /** Datagrams to virtual addresses without a live side, dropped so far. */
    long droppedDatagrams() {
        return dropped.sum();
    }

    /** Whether {@code address} is in the virtual range {@code 100::/64} (RFC 6666). */
    static boolean isVirtual(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address v6)) {
            return false;
        }
        byte[] ip = v6.getAddress();
        if (ip[0] != 0x01) {
            return false;
        }
        for (int i = 1; i < 8; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetSocketAddress virtualAddress(long id) {
        byte[] ip = new byte[16];
        ip[0] = 0x01;
        ByteBuffer.wrap(ip).putLong(8, id);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), VIRTUAL_PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 16-byte address is always valid", e);
        }
    }

    /** A token as two big-endian longs: the map key, compared without copying the datagram. */
    record Token(long hi, long lo) {
        void writeTo(ByteBuf buf) {
            buf.writeLong(hi).writeLong(lo);
        }

        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }
}
