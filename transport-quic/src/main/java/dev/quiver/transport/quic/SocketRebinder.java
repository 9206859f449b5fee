package dev.quiver.transport.quic;

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
 * nothing arrives there anyway. A replaced target socket is closed and its late datagrams are dropped.
 *
 * <p>Thread ownership: everything runs on the dial socket's event loop, which also owns the target socket.
 */
final class SocketRebinder extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRebinder.class);

    private ChannelHandlerContext ctx;
    private volatile Channel target;

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
     * Sends and receives through {@code socket} from now on; closes the previous target. Must run on the event
     * loop; {@code socket} must be registered on the same loop and carry an {@link #inbound()} handler.
     */
    void moveTo(Channel socket) {
        assert ctx.executor().inEventLoop();
        Channel previous = target;
        target = socket;
        if (previous != null) {
            previous.close();
        }
        LOG.info("Dial socket {} now sends from {}", ctx.channel().localAddress(), socket.localAddress());
    }

    /** The handler for the target socket's pipeline: feeds its datagrams into the codec above this handler. */
    ChannelInboundHandlerAdapter inbound() {
        return new Inbound();
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        Channel current = target;
        if (current == null || !(msg instanceof DatagramPacket)) {
            context.write(msg, promise);
        } else if (promise.isVoid()) {
            current.write(msg, current.voidPromise());
        } else {
            current.write(msg).addListener(new PromiseNotifier<>(promise));
        }
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
    }

    /** Receives on the target socket and hands datagrams to the codec, addressed to the original socket. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext targetCtx, Object msg) {
            if (target != targetCtx.channel() || !(msg instanceof DatagramPacket packet)) {
                // A socket that has been replaced: its late datagrams are dropped.
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
