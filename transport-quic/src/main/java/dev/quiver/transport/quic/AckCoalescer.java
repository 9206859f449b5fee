package dev.quiver.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.handler.codec.quic.QuicChannel;

import java.util.concurrent.TimeUnit;

/**
 * Lets the QUIC codec answer a bulk flow once per {@value #ANSWER_BYTES} bytes instead of once per read burst.
 * The codec sends on every read-complete, and quiche puts an ACK in every send that follows an ack-eliciting
 * packet, so a receiver that keeps up answered each read burst (a GSO batch of two or three 16 KB packets on
 * loopback) with its own ACK datagram: a send, a loopback delivery and a wake-up of the sender for every 43 KB
 * (34 000 ACKs per GiB, each costing the sender a wake-up, a read and quiche's ACK processing). This handler holds
 * the read-complete back while what arrived since the last answer is bulk data, full-size packets adding up to
 * less than {@value #ANSWER_BYTES} bytes, and passes it on when that much has arrived, or {@value #HOLD_MICROS} µs
 * after it first held, or as soon as the session has written anything to the connection ({@link #sendNow}),
 * whichever comes first.
 *
 * <p>It only ever delays the codec's sending: every packet still reaches the codec at once, and the streams it
 * made readable are drained by the {@link ReadBurstGate} in front of this handler. A burst with any small datagram
 * (an ACK, a handshake or path-probe packet, a short message) is answered at once, so handshakes and the sender's
 * own ACK processing never wait, and whatever the session writes (a reply, its own batched acknowledgements and
 * credit) ends the hold, so request/response exchanges and a sender waiting for session acknowledgements do not
 * wait either. What waits is quiche's ACKs alone: the hold is far below quiche's max_ack_delay (25 ms) and quiche
 * reports it in the ACK's delay field, so the peer's RTT estimate stays true. RFC 9000 §13.2.2 asks for an ACK every second packet as a SHOULD: on a jumbo path, with 16 KB packets,
 * one per 256 KB is still several per round trip of a bulk flow, and paths with ordinary packets (below
 * {@value #BULK_PACKET_BYTES} bytes) are never held.
 *
 * <p>One per socket, between the socket's {@link ReadBurstGate} and its codec. Thread: the socket's event loop.
 */
final class AckCoalescer extends ChannelInboundHandlerAdapter {
    /** Bulk bytes that arrive before the codec answers: sixteen full 16 KB packets. */
    static final int ANSWER_BYTES = 256_000;
    /** Longest hold of an answer, in microseconds: several loopback read bursts, far below max_ack_delay. */
    static final long HOLD_MICROS = 500;
    /** Packets smaller than this are not bulk data (ACKs, handshake and probe packets, short messages). */
    static final int BULK_PACKET_BYTES = 4096;

    private ChannelHandlerContext ctx;
    private long heldBytes;
    private boolean answerNow;
    private boolean inBurst;
    private boolean holdScheduled;

    /** The coalescer of the socket {@code quic} runs on, or {@code null} if its socket has none. */
    static AckCoalescer of(QuicChannel quic) {
        Channel socket = quic.parent();
        return socket == null ? null : socket.pipeline().get(AckCoalescer.class);
    }

    /**
     * The session wrote to a connection of this socket: a held answer goes now (the codec's send takes the written
     * bytes along), or, during a read burst, when the burst ends. Any thread.
     */
    void sendNow() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::sendNow);
        } else if (inBurst) {
            answerNow = true;
        } else if (heldBytes > 0) {
            answer(ctx);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inBurst = true;
        if (msg instanceof DatagramPacket datagram) {
            int packetBytes = datagram instanceof SegmentedDatagramPacket batch
                    ? batch.segmentSize()
                    : datagram.content().readableBytes();
            heldBytes += datagram.content().readableBytes();
            answerNow |= packetBytes < BULK_PACKET_BYTES;
        } else {
            answerNow = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inBurst = false;
        if (answerNow || heldBytes == 0 || heldBytes >= ANSWER_BYTES) {
            answer(ctx);
        } else if (!holdScheduled) {
            holdScheduled = true;
            ctx.executor().schedule(() -> answerHeld(ctx), HOLD_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void answerHeld(ChannelHandlerContext ctx) {
        holdScheduled = false;
        if (heldBytes > 0 && !ctx.isRemoved()) {
            answer(ctx);
        }
    }

    private void answer(ChannelHandlerContext ctx) {
        heldBytes = 0;
        answerNow = false;
        ctx.fireChannelReadComplete();
    }
}
