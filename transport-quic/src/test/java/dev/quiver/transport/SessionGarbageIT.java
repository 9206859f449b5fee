package dev.quiver.transport;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamHeader;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.quic.ConnectionHandler;
import dev.quiver.transport.quic.QuicConnection;
import dev.quiver.transport.quic.QuicEndpoint;
import dev.quiver.transport.testing.Closer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A raw Netty QUIC client, authenticated with the same pinned identities, opens a Quiver control stream and writes
 * garbage: the node closes that connection with a protocol error code and keeps serving a well-behaved peer.
 */
class SessionGarbageIT {
    private static final int ECHO = 0x2000;

    @RegisterExtension
    final Closer toClose = new Closer();

    /**
     * Random bytes after a prefix: none (unknown types), a Ping before Settings (PROTOCOL_VIOLATION), a Settings
     * frame then a StreamData frame with a huge length (FRAME_TOO_LARGE), Settings then a truncated AckRanges.
     */
    @ParameterizedTest
    @CsvSource({"1,''", "2,''", "3,0108", "4,0405 02 013F 023F", "5,0405 02 013F 023F 06 BFFFFFFF",
            "6,0405 02 013F 023F 0812"})
    @Timeout(60)
    void garbageOnTheControlStreamClosesOnlyThatConnection(int seed, String prefixHex) throws Exception {
        QuiverNode node = QuiverNode.builder()
                .quicConfig(QuicConfig.builder().idleTimeout(Duration.ofSeconds(20)).build()).build();
        toClose.add(node);
        node.handle(ECHO, (session, stream) -> stream.inputStream().transferTo(stream.outputStream()));

        QuicEndpoint raw = QuicEndpoint.builder(NodeIdentity.generate(KeyType.ED25519), QuicConfig.defaults())
                .handler(ConnectionHandler.REJECT_STREAMS).bind();
        toClose.add(raw);
        QuicConnection connection = raw.dial(node.nodeId(), node.localAddress()).get(10, TimeUnit.SECONDS);
        CompletableFuture<QuicConnectionCloseEvent> closed = new CompletableFuture<>();
        connection.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof QuicConnectionCloseEvent close) {
                    closed.complete(close);
                }
                ctx.fireUserEventTriggered(event);
            }
        });

        byte[] prefix = HexFormat.of().parseHex(prefixHex.replace(" ", ""));
        byte[] garbage = new byte[4096];
        new Random(seed).nextBytes(garbage);
        System.arraycopy(prefix, 0, garbage, 0, prefix.length);
        ByteBuffer header = ByteBuffer.allocate(StreamHeader.LENGTH);
        StreamHeader.encode(StreamId.control(), header);
        QuicStreamChannel stream = connection.openStream(new ChannelInboundHandlerAdapter())
                .get(10, TimeUnit.SECONDS);
        stream.write(Unpooled.wrappedBuffer(header.array()));
        stream.write(Unpooled.wrappedBuffer(garbage));
        // FIN too: a frame cut short by the end of the stream is garbage as well, never a reason to wait.
        stream.writeAndFlush(QuicStreamFrame.EMPTY_FIN);

        QuicConnectionCloseEvent close = closed.get(20, TimeUnit.SECONDS);
        assertTrue(close.isApplicationClose(), close.toString());
        ProtocolError error = ProtocolError.fromCode(close.error());
        assertNotNull(error, "unknown close code " + close.error());
        assertTrue(error != ProtocolError.NO_ERROR && error != ProtocolError.INTERNAL
                && error != ProtocolError.CANCELLED, "close code " + error);
        connection.channel().closeFuture().await(10, TimeUnit.SECONDS);
        assertTrue(!connection.isActive());

        // The node still serves a well-behaved peer.
        try (QuiverNode good = QuiverNode.builder().build()) {
            PeerSession session = good.connect(node.ticket());
            byte[] data = new byte[100_000];
            new Random(seed + 100).nextBytes(data);
            try (LogicalStream s = session.openStream(ECHO, PriorityClass.INTERACTIVE, 1)) {
                s.outputStream().write(data);
                s.outputStream().close();
                assertArrayEquals(data, s.inputStream().readAllBytes());
            }
            assertEquals(1, node.sessions().size(), "only the good peer's session is left");
        }
    }
}
