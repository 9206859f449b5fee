package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test handlers: an acceptor that echoes every stream, and a collector that gathers an expected byte count. */
final class EchoPeers {
    private EchoPeers() {
    }

    /** Echoes every peer-opened stream and remembers every accepted connection. */
    static final class EchoHandler implements ConnectionHandler {
        final ConcurrentLinkedQueue<QuicConnection> accepted = new ConcurrentLinkedQueue<>();

        @Override
        public void onConnection(QuicConnection connection) {
            accepted.add(connection);
        }

        @Override
        public void onStream(QuicConnection connection, QuicStreamChannel stream) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.write(msg);
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    ctx.flush();
                }
            });
        }
    }

    /** Collects bytes until {@code expected} have arrived. Runs on the stream's event loop. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final int expected;

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] chunk = new byte[buf.readableBytes()];
                buf.readBytes(chunk);
                received.writeBytes(chunk);
            } finally {
                buf.release();
            }
            if (received.size() >= expected) {
                done.complete(received.toByteArray());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("stream closed after " + received.size()
                    + " of " + expected + " bytes"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
