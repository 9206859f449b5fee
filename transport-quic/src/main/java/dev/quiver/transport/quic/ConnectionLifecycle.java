package dev.quiver.transport.quic;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.PathEvent;
import dev.quiver.transport.identity.PinnedPeerTrust;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicPathEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits in every QUIC connection's pipeline: turns the handshaken channel into a {@link QuicConnection}, tells the
 * {@link ConnectionHandler}, keeps the connection alive and swallows keep-alive datagrams. One instance per
 * connection; all its state belongs to that connection's event loop.
 */
final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {
    static final AttributeKey<QuicConnection> CONNECTION = AttributeKey.valueOf("quiver.connection");
    /**
     * First byte of a keep-alive QUIC DATAGRAM (one byte long; a migration probe is padded with more zeros):
     * ack-eliciting (RFC 9221 §5.2), so it resets both idle timers.
     */
    private static final byte KEEP_ALIVE = 0;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ConnectionHandler handler;
    private final ChannelGroup connections;
    private final Duration keepAliveInterval;
    private final boolean dialed;
    private final Consumer<PathEvent> pathEvents;
    private ScheduledFuture<?> keepAlive;

    ConnectionLifecycle(ConnectionHandler handler, ChannelGroup connections, Duration keepAliveInterval,
                        boolean dialed, Consumer<PathEvent> pathEvents) {
        this.handler = handler;
        this.connections = connections;
        this.keepAliveInterval = keepAliveInterval;
        this.dialed = dialed;
        this.pathEvents = pathEvents;
    }

    /** The initializer for streams the peer opens: count their bytes, then hand them to {@code handler}. */
    static ChannelHandler peerStreams(ConnectionHandler handler) {
        return new SharableStreamInitializer(handler);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        QuicChannel channel = (QuicChannel) ctx.channel();
        Optional<NodeId> peer = PinnedPeerTrust.peerOf(channel.sslEngine());
        if (peer.isEmpty()) {
            // Unreachable with ClientAuth.REQUIRE and the pinned trust manager; fail closed regardless.
            LOG.warn("Closing {}: the peer presented no certificate", channel.remoteSocketAddress());
            channel.close();
            return;
        }
        QuicEndpoint.DialAttempt attempt = channel.attr(QuicEndpoint.DIAL).get();
        QuicConnection connection = new QuicConnection(channel, peer.get(), dialed,
                attempt == null ? null : attempt.context);
        channel.attr(CONNECTION).set(connection);
        connections.add(channel);
        if (!keepAliveInterval.isZero()) {
            long periodNs = keepAliveInterval.toNanos();
            keepAlive = ctx.executor().scheduleAtFixedRate(() -> sendKeepAlive(channel), periodNs, periodNs,
                    TimeUnit.NANOSECONDS);
        }
        LOG.debug("Connection {} established", connection);
        handler.onConnection(connection);
        ctx.fireChannelActive();
    }

    private static void sendKeepAlive(QuicChannel channel) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {KEEP_ALIVE})).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("Keep-alive on {} failed: {}", channel.remoteSocketAddress(), f.cause().toString());
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // QUIC DATAGRAM payloads arrive on the connection channel; keep-alives and migration probes (padded
        // keep-alives, see PathProbes) are ours.
        if (msg instanceof ByteBuf datagram && datagram.isReadable()
                && datagram.getByte(datagram.readerIndex()) == KEEP_ALIVE) {
            datagram.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof QuicConnectionCloseEvent close) {
            LOG.debug("Connection {} closed by {}", ((QuicChannel) ctx.channel()).remoteSocketAddress(), close);
        } else if (event instanceof QuicPathEvent path) {
            QuicConnection connection = ctx.channel().attr(CONNECTION).get();
            if (connection != null) {
                boolean swapped = PortOrder.swapped(ctx.channel(), path.local());
                PathEvent recorded = new PathEvent(kindOf(path), connection.peer(), dialed,
                        PortOrder.fix(path.local(), swapped), PortOrder.fix(path.remote(), swapped),
                        System.nanoTime());
                LOG.info("Path event on {}: {}", connection, recorded);
                connection.recordPathEvent(recorded);
                pathEvents.accept(recorded);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private static PathEvent.Kind kindOf(QuicPathEvent event) {
        return switch (event) {
            case QuicPathEvent.New e -> PathEvent.Kind.NEW;
            case QuicPathEvent.Validated e -> PathEvent.Kind.VALIDATED;
            case QuicPathEvent.FailedValidation e -> PathEvent.Kind.FAILED_VALIDATION;
            case QuicPathEvent.Closed e -> PathEvent.Kind.CLOSED;
            case QuicPathEvent.ReusedSourceConnectionId e -> PathEvent.Kind.REUSED_SOURCE_CONNECTION_ID;
            case QuicPathEvent.PeerMigrated e -> PathEvent.Kind.PEER_MIGRATED;
            default -> throw new IllegalArgumentException("unknown path event " + event);
        };
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        QuicConnection connection = ctx.channel().attr(CONNECTION).get();
        if (connection != null) {
            LOG.debug("Connection {} closed", connection);
            handler.onClosed(connection);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Error on connection {}: {}", ((QuicChannel) ctx.channel()).remoteSocketAddress(), cause.toString());
        // A failed handshake is already being closed by quiche with the TLS alert as error code (RFC 9001 §4.8);
        // closing the channel here would drop that CONNECTION_CLOSE and leave the peer waiting for its timeout.
        if (!(cause instanceof SSLException)) {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class SharableStreamInitializer extends ChannelInitializer<QuicStreamChannel> {
        private final ConnectionHandler handler;

        SharableStreamInitializer(ConnectionHandler handler) {
            this.handler = handler;
        }

        @Override
        protected void initChannel(QuicStreamChannel stream) {
            QuicConnection connection = stream.parent().attr(CONNECTION).get();
            if (connection == null) {
                stream.close();
                return;
            }
            connection.countStream(stream);
            handler.onStream(connection, stream);
        }
    }
}
