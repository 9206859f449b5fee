package dev.quiver.transport.quic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;

import java.util.concurrent.TimeUnit;

/**
 * Lets the QUIC codec answer a bulk flow once per {@value #ANSWER_BYTES} bytes instead of once per read burst.
 * The codec sends on every read-complete, and quiche puts an ACK in every send that follows an ack-eliciting
 * packet, so a receiver that keeps up answered each read burst (a GSO batch of two or three 16 KB packets on
 * loopback) with its own ACK datagram: a send, a loopback delivery and a wake-up of the sender for every 43 KB
 * (34 000 ACKs per GiB). This handler holds the read-complete back while what arrived since the last answer is
 * bulk data, full-size packets adding up to less than {@value #ANSWER_BYTES} bytes, and passes it on when that
 * much has arrived or {@value #HOLD_MICROS} µs after it first held, whichever comes first; halves the ACKs, and
 * the sender's wake-ups with them.
 *
 * <p>It only ever delays the codec's sending: every packet still reaches the codec at once, and the streams it
 * made readable are drained by the {@link ReadBurstGate} in front of this handler. A burst with any small datagram
 * (an ACK, a handshake or path-probe packet, a short interactive message) is answered at once, so handshakes, the
 * sender's own ACK processing and request/response exchanges never wait. The hold is far below quiche's
 * max_ack_delay (25 ms) and quiche reports it in the ACK's delay field, so the peer's RTT estimate stays true.
 * RFC 9000 §13.2.2 asks for an ACK every second packet as a SHOULD; with 16 KB packets four per ACK is still
 * several ACKs per round trip.
 *
 * <p>One per socket, between the socket's {@link ReadBurstGate} and its codec. Thread: the socket's event loop.
 */
final class AckCoalescer extends ChannelInboundHandlerAdapter {
    /** Bulk bytes that arrive before the codec answers: four full 16 KB packets. */
    static final int ANSWER_BYTES = 64_000;
    /** Longest hold of an answer, in microseconds: a few loopback read bursts, far below max_ack_delay. */
    static final long HOLD_MICROS = 200;
    /** Packets smaller than this are not bulk data (ACKs, handshake and probe packets, short messages). */
    static final int BULK_PACKET_BYTES = 4096;

    private long heldBytes;
    private boolean answerNow;
    private boolean holdScheduled;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
