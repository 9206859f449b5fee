package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client-side migration under a live QUIC connection, the way a NAT rebinding looks to the server. Sits in a dial
 * socket's pipeline just under the QUIC client codec. Once {@link #moveTo moved}, every datagram the codec writes
 * leaves through another UDP socket (bound to a new local address or port), and every datagram that socket
 * receives enters the codec as if it had arrived on the original socket: the recipient address is rewritten to
 * the original one, because quiche's client drops packets on an address pair it does not know. quiche on the
 * client is therefore untouched; the server sees packets from a new source address, validates the path
 * (PATH_CHALLENGE/PATH_RESPONSE, RFC 9000 §8.2 and §9.3) and moves the connection there.
 *
 * <p>The original socket stays open (the codec and its connections live on it) and datagrams still arriving
 * there are delivered too: quiche on the server falls back to the old address when validating the new one times
 * out (RFC 9000 §9.3.2), and a move must not turn that into a dead connection. When the old interface is gone,
 * nothing arrives there anyway. A replaced target socket likewise keeps receiving for
 * {@link #RETIRED_LINGER_NS}, then closes: quiche retransmits what it had in flight on a path on that same path
 * (to the address we left), and a stream whose lost frames never arrive stalls for good.
 *
 * <p>Thread ownership: everything runs on the dial socket's event loop, which also owns the target socket.
 */
final class SocketRebinder extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRebinder.class);

    /** How long after a move a peer may ask us to move again (see {@link ValidationWatch}). */
    private static final long REPROBE_WINDOW_NS = TimeUnit.SECONDS.toNanos(60);
    /** Moves a peer may ask for per move of ours, and how far apart (several servers may ask at once). */
    private static final int MAX_REPROBES = ValidationWatch.MAX_REQUESTS;
    private static final long REPROBE_SPACING_NS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Packets after a move that are followed by a padded copy, and for how long (see {@link #write}). */
    private static final int BUDGET_COPIES = 8;
    private static final long BUDGET_WINDOW_NS = TimeUnit.SECONDS.toNanos(2);

    /** How long a replaced target socket keeps receiving (see the class comment). */
    private static final long RETIRED_LINGER_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_LEFT = 32;

    private final int copyBytes;
    private final List<Channel> retired = new ArrayList<>();
    /** Addresses we sent from and moved away from, newest last, at most {@link #MAX_LEFT}. */
    private final Deque<InetSocketAddress> left = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private volatile Channel target;
    private int copiesLeft;
    private long copiesUntilNs;
    private long movedAtNs;
    private long lastMoveNs;
    private int reprobes;
    private boolean everMoved;

    /** @param copyBytes size of the padded copies sent after a move: the dial socket's UDP payload size */
    SocketRebinder(int copyBytes) {
        this.copyBytes = copyBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    /** The socket datagrams currently leave through: the target after a move, else the dial socket. */
    InetSocketAddress effectiveLocalAddress() {
        Channel current = target;
        return (InetSocketAddress) (current != null ? current : ctx.channel()).localAddress();
    }

    /**
     * Sends and receives through {@code socket} from now on; retires the previous target. Must run on the event
     * loop; {@code socket} must be registered on the same loop and carry an {@link #inbound()} handler.
     * {@code reprobe}: the move answers a peer's request ({@link #admitReprobe}) rather than our own decision.
     */
    void moveTo(Channel socket, boolean reprobe) {
        assert ctx.executor().inEventLoop();
        long nowNs = System.nanoTime();
        if (!reprobe) {
            movedAtNs = nowNs;
            reprobes = 0;
            everMoved = true;
        }
        lastMoveNs = nowNs;
        if (left.size() == MAX_LEFT) {
            left.removeFirst();
        }
        left.addLast(effectiveLocalAddress());
        copiesLeft = BUDGET_COPIES;
        copiesUntilNs = nowNs + BUDGET_WINDOW_NS;
        Channel previous = target;
        target = socket;
        if (previous != null) {
            retired.add(previous);
            ctx.executor().schedule(() -> {
                retired.remove(previous);
                previous.close();
            }, RETIRED_LINGER_NS, TimeUnit.NANOSECONDS);
        }
        LOG.info("Dial socket {} now sends from {}", ctx.channel().localAddress(), socket.localAddress());
    }

    /**
     * Whether a peer's request to move again (its validation of our new address went silent) is honoured now:
     * not if it names an address we have already left (it was on its way while we moved), and only within a
     * while after a move of ours, at most {@link #MAX_REPROBES} times per move and not in quick succession, so a
     * peer cannot keep us rebinding. An address we never sent from is honoured (a NAT between us renames us).
     * Counts the request if admitted. Event loop only.
     */
    boolean admitReprobe(InetSocketAddress unvalidated) {
        long nowNs = System.nanoTime();
        if (left.contains(unvalidated) || !everMoved || nowNs - movedAtNs > REPROBE_WINDOW_NS
                || reprobes >= MAX_REPROBES || nowNs - lastMoveNs < REPROBE_SPACING_NS) {
            return false;
        }
        reprobes++;
        return true;
    }

    /** The handler for the target socket's pipeline: feeds its datagrams into the codec above this handler. */
    ChannelInboundHandlerAdapter inbound() {
        return new Inbound();
    }

    /**
     * After a move, the first few short-header packets are each followed by a padded copy: the packet's bytes,
     * then zeros up to the socket's payload size. The server cannot decrypt the copy and drops it, but it counts
     * its bytes toward what it may send to our unvalidated new address (RFC 9000 §8.1: all datagrams attributed to
     * the connection count, processed or not; quiche adds three times a datagram's length before decrypting). A
     * client that moves while its congestion window is full sends only small ACK packets from the new address, so
     * without this the server may send only three times those few bytes there: its PATH_CHALLENGE cannot be padded
     * to the 1200 bytes quiche needs to validate the path, its ACKs do not get out, the client's window never
     * opens and its probe timeout backs off until the connection idles out. A copy never creates the path (only a
     * decryptable packet does), hence copies of several packets, in case one overtakes its original.
     */
    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        Channel current = target;
        if (current == null || !(msg instanceof DatagramPacket packet)) {
            context.write(msg, promise);
            return;
        }
        DatagramPacket copy = copiesLeft > 0 ? paddedCopy(packet) : null;
        if (promise.isVoid()) {
            current.write(msg, current.voidPromise());
        } else {
            current.write(msg).addListener(new PromiseNotifier<>(promise));
        }
        if (copy != null) {
            current.write(copy, current.voidPromise());
        }
    }

    private DatagramPacket paddedCopy(DatagramPacket packet) {
        if (System.nanoTime() - copiesUntilNs > 0) {
            copiesLeft = 0;
            return null;
        }
        ByteBuf content = packet.content();
        int length = packet instanceof SegmentedDatagramPacket batch
                ? Math.min(batch.segmentSize(), content.readableBytes()) : content.readableBytes();
        // Only 1-RTT (short header) packets: form bit clear, fixed bit set (RFC 9000 §17.3.1).
        if (length == 0 || length >= copyBytes || (content.getByte(content.readerIndex()) & 0xC0) != 0x40) {
            return null;
        }
        copiesLeft--;
        ByteBuf copy = ctx.alloc().directBuffer(copyBytes);
        copy.writeBytes(content, content.readerIndex(), length).writeZero(copyBytes - length);
        return new DatagramPacket(copy, packet.recipient());
    }

    @Override
    public void flush(ChannelHandlerContext context) {
        Channel current = target;
        if (current != null) {
            current.flush();
        }
        context.flush();
    }

    @Override
    public void close(ChannelHandlerContext context, ChannelPromise promise) {
        closeTarget();
        context.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closeTarget();
        context.fireChannelInactive();
    }

    private void closeTarget() {
        Channel current = target;
        target = null;
        if (current != null) {
            current.close();
        }
        retired.forEach(Channel::close);
        retired.clear();
    }

    /** Receives on the target socket and hands datagrams to the codec, addressed to the original socket. */
    final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext targetCtx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            InetSocketAddress original = (InetSocketAddress) ctx.channel().localAddress();
            DatagramPacket readdressed = packet instanceof SegmentedDatagramPacket batch
                    ? new SegmentedDatagramPacket(batch.content(), batch.segmentSize(), original, batch.sender())
                    : new DatagramPacket(packet.content(), original, packet.sender());
            ctx.fireChannelRead(readdressed);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext targetCtx) {
            // The codec processes a read burst and flushes its answers on read-complete.
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext targetCtx, Throwable cause) {
            LOG.debug("Error on rebound socket {}: {}", targetCtx.channel().localAddress(), cause.toString());
        }
    }
}
