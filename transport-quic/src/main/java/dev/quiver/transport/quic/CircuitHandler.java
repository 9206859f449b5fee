package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.PromiseCombiner;

import java.net.InetSocketAddress;

/**
 * Carries relay circuits on the endpoint's own UDP sockets, under the QUIC codec: the node's QUIC connections talk
 * to the relay's data socket directly, with no user-space hop on the node (see {@link CircuitSide}).
 * <ul>
 *   <li><b>Outbound</b>: a datagram to a side's virtual address leaves as {@code [token 16][packet]} to the relay's
 *       data address. A GSO batch ({@link SegmentedDatagramPacket}: equal segments, the last may be shorter) is
 *       rebuilt as one batch with the token before every segment and a segment size 16 bytes larger, split in two
 *       or more if the larger batch would pass the kernel's GSO limits. A datagram to a virtual address without
 *       a live side is dropped and counted, never sent.</li>
 *   <li><b>Inbound</b>: a datagram from a side's relay data address that starts with the side's token loses the
 *       token (a slice, no copy) and gets the side's virtual address as sender, so quiche sees a stable peer.
 *       Anything else passes through untouched. Netty's epoll channel already splits a GRO read into single
 *       datagrams before the pipeline; a batch that still arrives (another channel type) is split here, so each
 *       segment's token is checked.</li>
 * </ul>
 * Stateless apart from the shared table: one instance serves every socket of an endpoint.
 */
@ChannelHandler.Sharable
final class CircuitHandler extends ChannelDuplexHandler {
    private static final int TOKEN = CircuitTable.TOKEN_BYTES;

    private final CircuitTable table;

    CircuitHandler(CircuitTable table) {
        this.table = table;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (table.isEmpty() || !(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (packet instanceof SegmentedDatagramPacket) {
            for (DatagramPacket one : ImpairmentHandler.split(packet)) {
                readOne(ctx, one);
            }
        } else {
            readOne(ctx, packet);
        }
    }

    private void readOne(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int at = content.readerIndex();
        CircuitSide side = content.readableBytes() < TOKEN ? null
                : table.byToken(content.getLong(at), content.getLong(at + 8));
        if (side == null || !side.relayDataAddress().equals(packet.sender())) {
            ctx.fireChannelRead(packet);
            return;
        }
        side.received();
        if (content.readableBytes() == TOKEN) {
            packet.release();
            return;
        }
        // A slice starting at index 0 (it shares the buffer and its reference count): the codec's header parser
        // reads from the buffer's start, not from its reader index.
        ByteBuf inner = content.slice(at + TOKEN, content.readableBytes() - TOKEN);
        ctx.fireChannelRead(new DatagramPacket(inner, packet.recipient(), side.virtualAddress()));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.write(msg, promise);
            return;
        }
        InetSocketAddress recipient = packet.recipient();
        CircuitSide side = table.isEmpty() ? null : table.byVirtual(recipient);
        if (side == null) {
            if (recipient != null && CircuitTable.isVirtual(recipient)) {
                // The circuit is gone: an address that must never reach the kernel. Lost like any UDP datagram.
                packet.release();
                table.countDropped();
                promise.trySuccess();
            } else {
                ctx.write(msg, promise);
            }
            return;
        }
        try {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (packet instanceof SegmentedDatagramPacket batch && length > batch.segmentSize()) {
                writeBatch(ctx, side, content, batch.segmentSize(), promise);
            } else {
                ByteBuf out = ctx.alloc().directBuffer(TOKEN + length);
                side.token().writeTo(out);
                out.writeBytes(content, content.readerIndex(), length);
                side.sent();
                ctx.write(new DatagramPacket(out, side.relayDataAddress()), promise);
            }
        } finally {
            packet.release();
        }
    }

    /** A GSO batch, rebuilt with the token before each segment, in as few batches as the kernel takes. */
    private static void writeBatch(ChannelHandlerContext ctx, CircuitSide side, ByteBuf content, int segmentBytes,
                                   ChannelPromise promise) {
        int outSegment = segmentBytes + TOKEN;
        int perBatch = Math.max(1, Math.min(UdpTransport.GSO_MAX_SEGMENTS, UdpTransport.GSO_MAX_BYTES / outSegment));
        int end = content.writerIndex();
        int bytesPerBatch = perBatch * segmentBytes;
        boolean several = end - content.readerIndex() > bytesPerBatch;
        PromiseCombiner combiner = several && !promise.isVoid() ? new PromiseCombiner(ctx.executor()) : null;
        for (int from = content.readerIndex(); from < end; from += bytesPerBatch) {
            int to = Math.min(end, from + bytesPerBatch);
            int segments = (to - from + segmentBytes - 1) / segmentBytes;
            ByteBuf out = ctx.alloc().directBuffer(to - from + segments * TOKEN);
            for (int at = from; at < to; at += segmentBytes) {
                side.token().writeTo(out);
                out.writeBytes(content, at, Math.min(segmentBytes, to - at));
                side.sent();
            }
            DatagramPacket datagram = segments == 1 ? new DatagramPacket(out, side.relayDataAddress())
                    : new SegmentedDatagramPacket(out, outSegment, side.relayDataAddress());
            if (combiner != null) {
                combiner.add(ctx.write(datagram));
            } else {
                ctx.write(datagram, several ? ctx.voidPromise() : promise);
            }
        }
        if (combiner != null) {
            combiner.finish(promise);
        }
    }
}
