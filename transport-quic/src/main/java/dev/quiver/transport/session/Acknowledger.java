package dev.quiver.transport.session;

import dev.quiver.codec.frame.AckRanges;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When the session acknowledges the peer's bytes: at once after {@link #THRESHOLD_BYTES} new bytes of a stream or
 * its FIN, otherwise after at most {@link #DELAY_US}, coalesced per stream like QUIC's own acknowledgements
 * (RFC 9000 §13.2.1 max_ack_delay). One ack per read burst would cost a packet per data packet (measured: most of
 * the CPU). The path allowance's floor is twice the threshold, because acknowledgements are what give a path its
 * budget back (and a failed-over path's chunks are re-sent from them): two acknowledgements can be on their way
 * while the path stays busy. Each acknowledgement costs both nodes more than its frame (packets, wake-ups): at 128
 * KiB (floor 256 KiB) a bulk stream made the sender's loop switch context 10k times per GiB and send 8k lone
 * packets, at 256 KiB 4k and 2k, for 20-30 % more goodput on loopback.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class Acknowledger {
    static final long THRESHOLD_BYTES = 256 << 10;
    static final long DELAY_US = 1000;

    private final Session session;
    private final int maxRanges;
    private final List<StreamState> delayed = new ArrayList<>();
    private boolean timerArmed;

    Acknowledger(Session session, int maxRanges) {
        this.session = session;
        this.maxRanges = maxRanges;
    }

    /** New bytes of {@code s} arrived in this read burst: acknowledge now or arm the delay. */
    void onReceived(StreamState s) {
        if (s.ackUrgent(THRESHOLD_BYTES)) {
            send(s);
        } else if (!s.ackPending) {
            s.ackPending = true;
            delayed.add(s);
            if (!timerArmed) {
                timerArmed = true;
                EventLoop loop = session.loop();
                loop.schedule(this::flushDelayed, DELAY_US, TimeUnit.MICROSECONDS);
            }
        }
    }

    private void send(StreamState s) {
        s.ackPending = false;
        AckRanges ack = s.pollAck(maxRanges);
        if (ack != null) {
            session.writeControl(ack);
        }
    }

    private void flushDelayed() {
        timerArmed = false;
        if (session.isClosed()) {
            delayed.clear();
            return;
        }
        for (int i = 0; i < delayed.size(); i++) {
            StreamState s = delayed.get(i);
            if (s.ackPending) {
                send(s);
            }
        }
        delayed.clear();
        session.paths.flush();
    }

    /** The session closed: nothing more to acknowledge. */
    void clear() {
        delayed.clear();
    }
}
