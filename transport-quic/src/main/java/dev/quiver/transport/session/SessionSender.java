package dev.quiver.transport.session;

import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.transport.path.PathScheduler;
import dev.quiver.transport.sched.FairScheduler;
import dev.quiver.transport.sched.GrantSink;
import dev.quiver.transport.sched.NanoClock;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The send side of a session: which stream sends (the {@link FairScheduler}, by class and weight, in bytes), on
 * which path (the {@link PathScheduler}), and the bookkeeping of every chunk sent (its {@link SentRecord}, the
 * path's estimator, re-sent bytes). A pump runs whenever a path may take more or a stream has more: it picks a
 * path, lets the fair scheduler fill up to a quantum of that path's budget, and repeats while a path has budget
 * and a stream has bytes; then it flushes every path once.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class SessionSender {
    /** Extra bytes CONTROL and INTERACTIVE streams may put in flight beyond the path allowance. */
    private static final int PRIORITY_RESERVE_BYTES = 256 << 10;
    /** Bytes granted per path choice, so the paths interleave within one pump. */
    private static final int GRANT_QUANTUM_BYTES = 256 << 10;
    /**
     * The in-flight allowance of every path while INTERACTIVE streams send and for {@link #LATENCY_HOLD_NS} after:
     * what an interactive message may find ahead of it in the path's queues (on loopback, the receiver's socket
     * buffer). Bulk streams meanwhile run clocked by fewer acknowledgements (a lower goodput); without interactive
     * traffic they get the full allowance, whose floor of two acknowledgements' worth keeps a path busy.
     */
    static final long LATENCY_ALLOWANCE_BYTES = 256 << 10;
    /** How long after the last INTERACTIVE bytes the allowance stays capped (a conversation's next message). */
    static final long LATENCY_HOLD_NS = 1_000_000_000L;

    private final Session session;
    private final SessionPaths paths;
    private final FairScheduler scheduler;
    private final GrantSink grantSink = this::grant;
    private final Runnable pumpTask = this::pump;
    /** Indexed by scheduler handle; grows with the scheduler's handles (most sessions hold one or two streams). */
    private StreamState[] byHandle = new StreamState[2];
    private int payloadBytes;
    private boolean pumpScheduled;
    private QuicPath current;
    private long pumpNowNs;
    /** When INTERACTIVE bytes last waited to be sent, 0 if never. */
    private long lastInteractiveNs;
    private long dataFramesSent;
    private long bytesResent;

    SessionSender(Session session, SessionPaths paths, int maxPayloadBytes) {
        this.session = session;
        this.paths = paths;
        this.payloadBytes = maxPayloadBytes;
        // One quantum per turn is one full frame: smaller turns would cut frames (and quiche writes) smaller.
        this.scheduler = new FairScheduler(NanoClock.system(),
                Math.max(FairScheduler.DEFAULT_QUANTUM_BYTES, maxPayloadBytes));
    }

    /** The peer's Settings cap the StreamData payload. */
    void payloadBytes(int value) {
        payloadBytes = value;
    }

    long dataFramesSent() {
        return dataFramesSent;
    }

    long bytesResent() {
        return bytesResent;
    }

    /** Gives {@code state} a scheduler handle. */
    void register(StreamState state) {
        state.handle = scheduler.register(state.priority(), state.weight());
        if (state.handle >= byHandle.length) {
            byHandle = Arrays.copyOf(byHandle, Math.max(byHandle.length * 2, state.handle + 1));
        }
        byHandle[state.handle] = state;
    }

    void unregister(StreamState state) {
        if (state.handle >= 0) {
            scheduler.unregister(state.handle);
            byHandle[state.handle] = null;
            state.handle = -1;
        }
    }

    /** Tells the scheduler how much {@code state} may send now, and pumps if that is anything. */
    void updateSendable(StreamState state) {
        if (state.handle < 0) {
            return;
        }
        long sendable = state.sendableBytes();
        scheduler.setSendable(state.handle, sendable);
        if (sendable > 0) {
            schedulePump();
        }
    }

    /** {@code state}'s direction was reset: nothing more to send. */
    void stop(StreamState state) {
        if (state.handle >= 0) {
            scheduler.setSendable(state.handle, 0);
        }
        schedulePump();
    }

    void schedulePump() {
        if (!pumpScheduled && !session.isClosed()) {
            pumpScheduled = true;
            session.loop().execute(pumpTask);
        }
    }

    /** Runs a scheduled pump now (the queued task then finds nothing to do). */
    void pumpIfScheduled() {
        if (pumpScheduled) {
            pump();
        }
    }

    private void pump() {
        if (!pumpScheduled) {
            return; // ran early, from pumpIfScheduled
        }
        pumpScheduled = false;
        if (session.isClosed()) {
            return;
        }
        pumpNowNs = System.nanoTime();
        List<QuicPath> all = paths.all();
        capAllowanceNearInteractive(all);
        int minGrant = Math.min(payloadBytes, 16 << 10);
        while (scheduler.hasWork()) {
            // Small latency-sensitive messages must not wait behind a full path of bulk bytes; quiche's stream
            // urgency then sends them ahead of the queued bulk bytes.
            boolean urgent = scheduler.hasWork(PriorityClass.CONTROL) || scheduler.hasWork(PriorityClass.INTERACTIVE);
            int i = PathScheduler.pick(all, urgent ? 0 : minGrant);
            if (i < 0) {
                break;
            }
            QuicPath p = all.get(i);
            long budget = urgent ? p.budgetBytes(PRIORITY_RESERVE_BYTES) : p.budgetBytes();
            int grant = (int) Math.min(budget, GRANT_QUANTUM_BYTES);
            if (grant <= 0) {
                break;
            }
            current = p;
            if (scheduler.drain(grant, grantSink) == 0) {
                break;
            }
        }
        current = null;
        paths.flush();
    }

    /** Caps every path's allowance while INTERACTIVE streams send and for a while after, else lifts the cap. */
    private void capAllowanceNearInteractive(List<QuicPath> all) {
        if (scheduler.hasWork(PriorityClass.INTERACTIVE)) {
            lastInteractiveNs = pumpNowNs;
        }
        boolean near = lastInteractiveNs != 0 && pumpNowNs - lastInteractiveNs < LATENCY_HOLD_NS;
        long cap = near ? LATENCY_ALLOWANCE_BYTES : Long.MAX_VALUE;
        for (int i = 0; i < all.size(); i++) {
            all.get(i).estimator.capAllowance(cap);
        }
    }

    private void grant(int handle, int bytes) {
        StreamState state = byHandle[handle];
        int left = bytes;
        while (left > 0) {
            int n = state.emit(Math.min(left, payloadBytes));
            if (n == 0) {
                break;
            }
            dataFramesSent++;
            left -= n;
        }
        scheduler.setSendable(handle, state.sendableBytes());
    }

    /** The send buffer of {@code state} emits a chunk: it goes on the path being filled, which records it. */
    void emitChunk(StreamState state, long offset, ByteBuffer src, boolean fin) {
        QuicPath p = current;
        carrierOn(p, state);
        long end = offset + src.remaining() + (fin ? 1 : 0);
        // The hint lets the receiver skip waking its reader at this frame's end; only bytes that may go now count
        // (bytes waiting for credit wait for that reader, which must then wake here).
        boolean more = !fin && state.sendableEnd() > end;
        p.writeData(state, offset, src, fin, more);
        if (offset < state.highestEmitted) {
            bytesResent += Math.min(end, state.highestEmitted) - offset;
        }
        state.onSent(p, offset, end, pumpNowNs);
        p.estimator.onSent(end - offset, pumpNowNs);
    }

    /** Makes sure {@code state} has a carrier on {@code p}: its first StreamOpen, or a continuation. */
    void carrierOn(QuicPath p, StreamState state) {
        if (!p.hasData(state.id())) {
            StreamOpen open = state.openFrame();
            p.ensureCarrier(state, state.openSent ? open.asContinuation() : open);
            state.openSent = true;
        }
    }
}
