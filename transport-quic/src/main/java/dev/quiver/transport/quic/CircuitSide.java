package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's side of one relay circuit, registered in its endpoint's circuit table: QUIC connections reach the
 * peer behind the relay at {@link #virtualAddress()}, an address that never reaches the kernel. The endpoint's
 * {@code CircuitHandler} sends what the codec writes there to the relay's data address under this side's 16-byte
 * token, and hands what the relay forwards under the token to the codec as if it came from the virtual address.
 *
 * <p>Until the relay has forwarded a datagram to this side, a bind datagram (the token alone) leaves every
 * {@value #BIND_INTERVAL_MS} ms from the socket the circuit's packets use, so the relay learns this side's address
 * before the inner QUIC sends (the target's side sends nothing until the dialer's first packet).
 *
 * <p>Thread-safe: the handler runs on the event loops, {@link #close()} may be called from any thread. The token's
 * bytes are never logged.
 */
public final class CircuitSide implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitSide.class);
    private static final long BIND_INTERVAL_MS = 100;
    private static final int BIND_ATTEMPTS = 100;

    private final CircuitTable table;
    private final InetSocketAddress virtualAddress;
    private final InetSocketAddress relayData;
    private final CircuitTable.Token token;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean heardFromRelay;
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder packetsIn = new LongAdder();

    CircuitSide(CircuitTable table, InetSocketAddress virtualAddress, InetSocketAddress relayData,
                CircuitTable.Token token) {
        this.table = table;
        this.virtualAddress = virtualAddress;
        this.relayData = relayData;
        this.token = token;
    }

    /** The address QUIC connections through this circuit have as their peer's: dial it, or answer to it. */
    public InetSocketAddress virtualAddress() {
        return virtualAddress;
    }

    /** The relay's data socket as this node reaches it: where this side's datagrams go. */
    public InetSocketAddress relayDataAddress() {
        return relayData;
    }

    CircuitTable.Token token() {
        return token;
    }

    /** Whether the relay has forwarded anything to this side yet (then it needs no more bind datagrams). */
    boolean heardFromRelay() {
        return heardFromRelay;
    }

    /** A datagram under this side's token arrived from the relay. */
    void received() {
        if (!heardFromRelay) {
            heardFromRelay = true;
        }
        packetsIn.increment();
    }

    /** A datagram of this side left for the relay. */
    void sent() {
        packetsOut.increment();
    }

    /** Starts the bind datagrams on the socket of {@code ctx} (the circuit handler's context there). */
    void startBinding(ChannelHandlerContext ctx) {
        try {
            ctx.executor().execute(() -> sendBind(ctx, 0));
        } catch (RejectedExecutionException e) {
            LOG.debug("Event loop shut down; circuit side {} sends no bind datagram", virtualAddress);
        }
    }

    private void sendBind(ChannelHandlerContext ctx, int attempt) {
        if (heardFromRelay || closed.get() || attempt >= BIND_ATTEMPTS || !ctx.channel().isActive()) {
            return;
        }
        ByteBuf bind = ctx.alloc().directBuffer(CircuitTable.TOKEN_BYTES);
        token.writeTo(bind);
        // Written below the circuit handler: the datagram goes to the relay as it is.
        ctx.writeAndFlush(new DatagramPacket(bind, relayData), ctx.voidPromise());
        try {
            ctx.executor().schedule(() -> sendBind(ctx, attempt + 1), BIND_INTERVAL_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Event loop shut down; circuit side {} stops binding", virtualAddress);
        }
    }

    /**
     * Unregisters this side: datagrams to its virtual address are dropped from now on, and the relay's datagrams
     * under its token reach the codec untranslated (where they are not QUIC and are dropped). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        table.remove(this);
        LOG.debug("Circuit side {} closed: {} datagrams to the relay, {} from it", virtualAddress,
                packetsOut.sum(), packetsIn.sum());
    }

    @Override
    public String toString() {
        return "CircuitSide[" + virtualAddress + " via " + relayData + "]";
    }
}
