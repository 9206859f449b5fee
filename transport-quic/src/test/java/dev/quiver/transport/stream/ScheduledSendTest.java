package dev.quiver.transport.stream;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.transport.sched.FairScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler driving real send buffers the way the session will: each path budget is handed out by
 * {@link FairScheduler#drain}, each grant is emitted from the stream's {@link SendBuffer}, and the stream's
 * sendable count is fed back. Checks that the two APIs fit and that priority survives the glue.
 */
@Timeout(20)
class ScheduledSendTest {

    private static final int QUANTUM = 16 << 10;
    private static final int DATAGRAM = 1200;

    @Test
    void interactiveMessageOvertakesSaturatingBulkStreamsThroughRealBuffers() {
        long[] now = {0};
        FairScheduler sched = new FairScheduler(() -> now[0], QUANTUM);
        int n = 8;
        SendBuffer[] buffers = new SendBuffer[n + 1];
        int[] handles = new int[n + 1];
        long[] emitted = new long[n + 1];
        for (int i = 0; i < n; i++) {
            buffers[i] = new SendBuffer(256 << 10, Long.MAX_VALUE >>> 2);
            handles[i] = sched.register(PriorityClass.BULK, 1);
        }
        buffers[n] = new SendBuffer(64 << 10, Long.MAX_VALUE >>> 2);
        handles[n] = sched.register(PriorityClass.INTERACTIVE, 1);

        // Bulk streams keep their buffers full; they have sent for a while.
        for (int step = 0; step < 2000; step++) {
            refillAndSend(sched, buffers, handles, emitted, n);
            now[0] += 10_000;
        }
        long[] before = emitted.clone();
        buffers[n].write(ByteBuffer.allocate(64 << 10));
        buffers[n].finish();
        sched.setSendable(handles[n], buffers[n].sendableBytes());
        long readyAt = now[0];
        int steps = 0;
        while (sched.sendable(handles[n]) > 0) {
            refillAndSend(sched, buffers, handles, emitted, n);
            now[0] += 10_000;
            assertTrue(++steps < 10_000);
        }
        assertEquals((64 << 10) + 1, emitted[n], "the message and its FIN went out");
        for (int i = 0; i < n; i++) {
            assertTrue(emitted[i] - before[i] < QUANTUM, "bulk " + i + " sent " + (emitted[i] - before[i]));
        }
        assertEquals(0, sched.maxReadyWaitNs(PriorityClass.INTERACTIVE), "served at the first decision");
        assertTrue(now[0] > readyAt);
        // Bulk shares stayed fair through the glue.
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, emitted[i]);
            max = Math.max(max, emitted[i]);
        }
        assertTrue(max - min <= QUANTUM, "bulk spread " + (max - min));
    }

    /** One datagram's worth of budget through the scheduler into the buffers (no network: acks come at once). */
    private static void refillAndSend(FairScheduler sched, SendBuffer[] buffers, int[] handles, long[] emitted,
                                      int bulk) {
        for (int i = 0; i < bulk; i++) {
            SendBuffer b = buffers[i];
            if (b.writableBytes() > 0) {
                b.write(ByteBuffer.allocate(b.writableBytes()));
                sched.setSendable(handles[i], b.sendableBytes());
            }
        }
        sched.drain(DATAGRAM, (handle, bytes) -> {
            int i = indexOf(handles, handle);
            SendBuffer b = buffers[i];
            int left = bytes;
            while (left > 0) {
                int sent = b.emit(left, (offset, src, fin) -> { });
                if (sent == 0) {
                    break;
                }
                left -= sent;
                emitted[i] += sent;
            }
            // Acknowledge at once so the window keeps moving (the peer is ideal here).
            try {
                b.onAck(java.util.List.of(new dev.quiver.codec.frame.AckRanges.Range(0, b.sendHighWater())));
            } catch (dev.quiver.codec.wire.ProtocolException e) {
                throw new AssertionError(e);
            }
            sched.setSendable(handle, b.sendableBytes());
        });
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError("unknown handle " + v);
    }
}
