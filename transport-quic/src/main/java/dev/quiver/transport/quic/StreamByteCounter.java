package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts application bytes at the bottom of a QUIC stream's pipeline, for goodput. Runs on the stream's event
 * loop; the adders are read from any thread.
 */
final class StreamByteCounter extends ChannelDuplexHandler {
    private final LongAdder read;
    private final LongAdder written;

    StreamByteCounter(LongAdder read, LongAdder written) {
        this.read = read;
        this.written = written;
    }

    @Override
    public boolean isSharable() {
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            read.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            written.add(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
