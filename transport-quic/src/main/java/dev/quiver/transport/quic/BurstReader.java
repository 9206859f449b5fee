package dev.quiver.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Owns every read of one QUIC stream, so that the stream is read once per read burst of its socket
 * ({@link ReadBurstGate}) rather than once per packet. The stream runs with auto-read off; read requests from the
 * handlers above are dropped (a {@code ByteToMessageDecoder} asks after every read), and each read drains what quiche
 * holds ({@link DrainingRecvAllocator}). The stream is always in one of two states:
 * <ul>
 *   <li><b>armed</b>: a read is pending in Netty, so the first packet that brings data is read at once (an idle
 *       stream's next message waits for nothing);</li>
 *   <li><b>due</b>: it was read during this burst, so later packets only mark it readable in quiche, and the gate
 *       drains it when the burst ends. A drain that finds nothing leaves the read pending: armed again.</li>
 * </ul>
 * A stream that carries latency-sensitive messages can instead be read at every packet, as Netty
 * reads by default ({@link #readEveryPacket}): its data then does not wait for the rest of the burst.
 * Must be added first in the stream's pipeline, before the stream is active (in its initializer).
 *
 * <p>Thread: the stream's event loop, which is its socket's.
 */
final class BurstReader extends ChannelDuplexHandler {
    private final ReadBurstGate gate;
    private ChannelHandlerContext ctx;
    private boolean due;
    private boolean everyPacket;

    BurstReader(ReadBurstGate gate) {
        this.gate = gate;
    }

    /** Adds a reader first in {@code stream}'s pipeline if its socket has a gate; otherwise the stream auto-reads. */
    static void install(QuicStreamChannel stream) {
        Channel socket = stream.parent().parent();
        ReadBurstGate gate = socket == null ? null : socket.pipeline().get(ReadBurstGate.class);
        if (gate != null) {
            stream.pipeline().addFirst(new BurstReader(gate));
        }
    }

    /** Reads {@code stream} at every packet that brings it data from now on (a no-op without a burst reader). */
    static void readEveryPacket(QuicStreamChannel stream) {
        BurstReader reader = stream.pipeline().get(BurstReader.class);
        if (reader != null) {
            reader.readEveryPacket();
        }
    }

    void readEveryPacket() {
        ctx.executor().execute(() -> everyPacket = true);
    }

    @Override
    public boolean isSharable() {
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().config().setAutoRead(false).setRecvByteBufAllocator(DrainingRecvAllocator.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        readNow(); // arms it, or reads what came with the stream's first packet
    }

    /** Dropped: this handler decides when the stream is read (its own reads start below it, at its context). */
    @Override
    public void read(ChannelHandlerContext ctx) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!due && !everyPacket) {
            due = true;
            gate.drainAtBurstEnd(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        if (everyPacket) {
            readNow(); // pending again, so the next packet is read at once
        }
    }

    /** The burst ended: read what quiche holds (due again if there was any, else armed). */
    void drain() {
        due = false;
        if (ctx.channel().isActive()) {
            readNow();
        }
    }

    private void readNow() {
        ctx.read();
    }
}
