package dev.quiver.transport.quic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;

/**
 * Reads a socket's QUIC streams once per read burst instead of once per packet. Netty's QUIC codec reads every
 * readable stream right after each packet it hands to quiche, so a bulk stream was read once per 16 KB packet,
 * and each read paid for a buffer, a JNI call, the stream's pipeline, frame decoding and the session's delivery
 * (a reader wake-up, acknowledgement bookkeeping, a flush). Streams with a {@link BurstReader} are read when the
 * socket's read burst ends instead: this handler sits in front of the QUIC codec and, on read-complete, drains every
 * stream that received during the burst before passing the event on, so whatever the streams answer
 * (acknowledgements, credit) leaves in the codec's one send at the end of the burst.
 *
 * <p>One per socket whose pipeline holds a QUIC codec. Thread: the socket's event loop.
 */
final class ReadBurstGate extends ChannelInboundHandlerAdapter {
    private ArrayList<BurstReader> due = new ArrayList<>();
    private ArrayList<BurstReader> draining = new ArrayList<>();

    /** {@code reader}'s stream received in this burst: drain it when the burst ends. */
    void drainAtBurstEnd(BurstReader reader) {
        due.add(reader);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        drainDue();
        ctx.fireChannelReadComplete();
    }

    private void drainDue() {
        // A stream drained here that had data is due again at the next burst end (it may get more); it registers
        // itself while this loop runs, so the lists swap first.
        ArrayList<BurstReader> now = due;
        due = draining;
        draining = now;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).drain();
        }
        now.clear();
    }
}
