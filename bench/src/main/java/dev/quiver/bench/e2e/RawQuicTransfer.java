package dev.quiver.bench.e2e;

import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.quic.ConnectionHandler;
import dev.quiver.transport.quic.QuicConnection;
import dev.quiver.transport.quic.QuicEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One measured transfer of {@code bytes} over one raw QUIC stream between two fresh endpoints, after a warm-up
 * transfer on its own stream (JIT, congestion window). The sender writes 64 KiB slices of one buffer whenever
 * the stream is writable; the receiver counts and drops. Timing runs from the first write to the last byte read.
 */
final class RawQuicTransfer {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long WARMUP_BYTES = 128L << 20;

    record Result(String transport, double gbps, double cpuSecondsPerGiB, ConnectionStats stats,
                  ConnectionStats receiverStats) {
    }

    private RawQuicTransfer() {
    }

    static Result run(QuicConfig config, long bytes) throws Exception {
        Sink sink = new Sink();
        try (QuicEndpoint server = QuicEndpoint.builder(RawQuicBench.identity(), config).handler(sink).bind();
             QuicEndpoint client = QuicEndpoint.builder(RawQuicBench.identity(), config).bind()) {
            QuicConnection connection = client.dial(server.nodeId(), server.localAddress()).get();
            transfer(connection, sink, Math.min(WARMUP_BYTES, bytes));

            long cpuStartNs = RawQuicBench.processCpuNs();
            long startNs = System.nanoTime();
            transfer(connection, sink, bytes);
            long elapsedNs = System.nanoTime() - startNs;
            long cpuNs = RawQuicBench.processCpuNs() - cpuStartNs;

            ConnectionStats stats = RawQuicBench.stats(connection);
            ConnectionStats receiverStats = RawQuicBench.stats(sink.connection);
            double gbps = bytes * 8.0 / elapsedNs;
            double cpuPerGiB = cpuNs / 1e9 / (bytes / (double) (1L << 30));
            return new Result(client.transport().toString(), gbps, cpuPerGiB, stats, receiverStats);
        }
    }

    private static void transfer(QuicConnection connection, Sink sink, long bytes) throws Exception {
        CompletableFuture<Void> received = sink.expect(bytes);
        Source source = new Source(bytes);
        QuicStreamChannel stream = connection.openStream(source).get();
        RawQuicBench.await(received, 600);
        stream.close();
        source.data.release(); // every slice of it was written (quiche copies), and the peer has read them all
    }

    /** Writes {@code remaining} bytes while the stream is writable. Runs on the stream's event loop. */
    private static final class Source extends ChannelInboundHandlerAdapter {
        /** The source bytes, released by the transfer once done (else Netty's leak detector reports them). */
        final ByteBuf data;
        private final ByteBuf chunk;
        private long remaining;

        Source(long bytes) {
            byte[] random = new byte[CHUNK_BYTES];
            ThreadLocalRandom.current().nextBytes(random);
            this.data = Unpooled.directBuffer(CHUNK_BYTES).writeBytes(random);
            this.chunk = Unpooled.unreleasableBuffer(data);
            this.remaining = bytes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (remaining > 0 && ctx.channel().isWritable()) {
                int length = (int) Math.min(CHUNK_BYTES, remaining);
                ctx.write(chunk.retainedSlice(0, length));
                remaining -= length;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }

    /** Counts bytes arriving on peer-opened streams. Runs on the server's event loop. */
    private static final class Sink implements ConnectionHandler {
        private long expected;
        private long received;
        private CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile QuicConnection connection;

        synchronized CompletableFuture<Void> expect(long bytes) {
            expected = bytes;
            received = 0;
            done = new CompletableFuture<>();
            return done;
        }

        @Override
        public void onConnection(QuicConnection accepted) {
            connection = accepted;
        }

        @Override
        public void onStream(QuicConnection connection, QuicStreamChannel stream) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    int n = buf.readableBytes();
                    buf.release();
                    synchronized (Sink.this) {
                        received += n;
                        if (received >= expected) {
                            done.complete(null);
                        }
                    }
                }
            });
        }
    }
}
