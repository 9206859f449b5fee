package dev.quiver.transport.quic;

import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PathEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One authenticated QUIC connection to a peer: one path of a session. Streams opened here or by the peer count
 * their application bytes for {@link #stats()}. The Netty channel and its state belong to the connection's event
 * loop; the methods here are safe from any thread (Netty hands the work to the loop).
 */
public final class QuicConnection implements AutoCloseable {
    private static final int MAX_PATH_EVENTS = 64;
    private final QuicChannel channel;
    private final NodeId peer;
    private final boolean dialed;
    private final Object dialContext;
    private final long establishedNs = System.nanoTime();
    private final LongAdder streamBytesRead = new LongAdder();
    private final LongAdder streamBytesWritten = new LongAdder();
    private final List<PathEvent> pathEvents = new ArrayList<>();
    private final AckCoalescer coalescer;

    QuicConnection(QuicChannel channel, NodeId peer, boolean dialed, Object dialContext) {
        this.channel = channel;
        this.peer = peer;
        this.dialed = dialed;
        this.dialContext = dialContext;
        this.coalescer = AckCoalescer.of(channel);
    }

    /**
     * What was written to this connection's streams should leave now rather than with quiche's next ACK: ends an
     * acknowledgement hold of its socket ({@code AckCoalescer}), so a reply does not wait for it. Any thread.
     */
    public void sendNow() {
        if (coalescer != null) {
            coalescer.sendNow();
        }
    }

    /** What the dialer passed to {@code QuicEndpoint.dial(..., context)}; {@code null} if none or accepted. */
    public Object dialContext() {
        return dialContext;
    }

    /** Our UDP address on the active path. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localSocketAddress();
    }

    /** The peer's node ID, proven by its key in the handshake. */
    public NodeId peer() {
        return peer;
    }

    /** True if this node dialed the connection, false if it accepted it. */
    public boolean isDialed() {
        return dialed;
    }

    /** The Netty channel, for the session layer's handlers. */
    public QuicChannel channel() {
        return channel;
    }

    /** The peer's UDP address on the active path. */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteSocketAddress();
    }

    /** True until the connection closes. */
    public boolean isActive() {
        return channel.isActive();
    }

    /**
     * Opens a bidirectional QUIC stream whose pipeline gets {@code handler} (after the byte counter).
     *
     * @return the stream once quiche has allocated it; fails if the peer's stream limit is reached or the
     *         connection is closed
     */
    public CompletableFuture<QuicStreamChannel> openStream(ChannelHandler handler) {
        CompletableFuture<QuicStreamChannel> result = new CompletableFuture<>();
        channel.createStream(QuicStreamType.BIDIRECTIONAL, initializer(handler)).addListener(
                (Future<QuicStreamChannel> f) -> complete(result, f));
        return result;
    }

    /**
     * The path events of this connection so far, oldest first (at most {@value #MAX_PATH_EVENTS}, the newest
     * kept): on the server the validation and migration of the client's new address, on the client its
     * {@link PathEvent.Kind#LOCAL_REBOUND} moves.
     */
    public List<PathEvent> pathEvents() {
        synchronized (pathEvents) {
            return List.copyOf(pathEvents);
        }
    }

    void recordPathEvent(PathEvent event) {
        synchronized (pathEvents) {
            if (pathEvents.size() == MAX_PATH_EVENTS) {
                pathEvents.removeFirst();
            }
            pathEvents.add(event);
        }
    }

    /** A snapshot of RTT, congestion window, byte counters and goodput, collected on the event loop. */
    public CompletableFuture<ConnectionStats> stats() {
        CompletableFuture<ConnectionStats> result = new CompletableFuture<>();
        channel.collectStats().addListener((Future<QuicConnectionStats> conn) -> {
            if (!conn.isSuccess()) {
                result.completeExceptionally(conn.cause());
                return;
            }
            channel.collectPathStats(0).addListener((Future<QuicConnectionPathStats> path) -> {
                if (!path.isSuccess()) {
                    result.completeExceptionally(path.cause());
                    return;
                }
                result.complete(snapshot(conn.getNow(), path.getNow()));
            });
        });
        return result;
    }

    private ConnectionStats snapshot(QuicConnectionStats conn, QuicConnectionPathStats path) {
        boolean swapped = PortOrder.swapped(channel, path.localAddress());
        return new ConnectionStats(peer, PortOrder.fix(path.localAddress(), swapped),
                PortOrder.fix(path.peerAddress(), swapped), System.nanoTime() - establishedNs,
                path.rtt(), path.cwnd(), path.pmtu(), path.deliveryRate(), conn.sentBytes(), conn.recvBytes(),
                conn.lostBytes(), conn.sent(), conn.lost(), streamBytesWritten.sum(), streamBytesRead.sum());
    }

    /** Closes the connection with application error {@code errorCode} and a reason the peer sees. */
    public ChannelFuture close(int errorCode, String reason) {
        return channel.close(true, errorCode, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }

    /** Closes the connection gracefully (application error 0). */
    @Override
    public void close() {
        close(0, "closed");
    }

    /**
     * Reads {@code stream} at every packet that brings it data, not once per read burst of its socket: for streams
     * whose messages are latency-sensitive (under load a burst is many packets long).
     */
    public static void readEveryPacket(QuicStreamChannel stream) {
        BurstReader.readEveryPacket(stream);
    }

    /** Puts the burst reader and the byte counter at the bottom of a stream's pipeline, then {@code handler}. */
    ChannelInitializer<QuicStreamChannel> initializer(ChannelHandler handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(QuicStreamChannel stream) {
                stream.pipeline().addLast(new StreamByteCounter(streamBytesRead, streamBytesWritten), handler);
                BurstReader.install(stream);
            }
        };
    }

    /** Puts the burst reader and the byte counter at the bottom of an accepted stream's pipeline. */
    void countStream(QuicStreamChannel stream) {
        stream.pipeline().addFirst(new StreamByteCounter(streamBytesRead, streamBytesWritten));
        BurstReader.install(stream);
    }

    private static <T> void complete(CompletableFuture<T> target, Future<T> source) {
        if (source.isSuccess()) {
            target.complete(source.getNow());
        } else {
            target.completeExceptionally(source.cause());
        }
    }

    @Override
    public String toString() {
        return "QuicConnection[" + (dialed ? "to " : "from ") + peer.shortString() + " " + channel.remoteSocketAddress()
                + "]";
    }
}
