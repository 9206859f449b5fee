package dev.quiver.transport.sched;

import dev.quiver.codec.stream.PriorityClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class FairSchedulerTest {

    private static final long SATURATED = 1L << 50;
    private static final int QUANTUM = 16 << 10;

    /** A clock the test steps by hand. */
    static final class FakeClock implements NanoClock {
        long now;

        @Override
        public long nowNs() {
            return now;
        }
    }

    /** Records every grant, in order, and per-handle totals. */
    static final class RecordingSink implements GrantSink {
        final long[] totals = new long[64];
        final List<long[]> log = new ArrayList<>();

        @Override
        public void grant(int handle, int bytes) {
            assertTrue(bytes > 0, "grants are positive");
            totals[handle] += bytes;
            log.add(new long[] {handle, bytes});
        }
    }

    private final FakeClock clock = new FakeClock();

    static double jain(long[] x) {
        double sum = 0;
        double sumSq = 0;
        for (long v : x) {
            sum += v;
            sumSq += (double) v * v;
        }
        return sum * sum / (x.length * sumSq);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8, 17, 64})
    void equalWeightBulkStreamsShareBytesFairly(int n) {
        FairScheduler s = new FairScheduler(clock, QUANTUM);
        int[] h = new int[n];
        for (int i = 0; i < n; i++) {
            h[i] = s.register(PriorityClass.BULK, 1);
            s.setSendable(h[i], SATURATED);
        }
        RecordingSink sink = new RecordingSink();
        SplittableRandom rnd = new SplittableRandom(n);
        // Path budgets vary like real congestion windows: one datagram up to a GSO burst.
        long target = (long) n * QUANTUM * 37 + 12_345;
        long total = 0;
        while (total < target) {
            total += s.drain(1 + rnd.nextInt(64 << 10), sink);
        }
        long[] shares = new long[n];
        for (int i = 0; i < n; i++) {
            shares[i] = sink.totals[h[i]];
            assertEquals(shares[i], s.grantedBytes(h[i]));
        }
        double j = jain(shares);
        assertTrue(j >= 0.99, "Jain index " + j);
    }

    @Test
    void weightsOneTwoFourGiveSharesOfSevenths() {
        FairScheduler s = new FairScheduler(clock, QUANTUM);
        int[] w = {1, 2, 4};
        int[] h = new int[3];
        for (int i = 0; i < 3; i++) {
            h[i] = s.register(PriorityClass.BULK, w[i]);
            s.setSendable(h[i], SATURATED);
        }
        RecordingSink sink = new RecordingSink();
        SplittableRandom rnd = new SplittableRandom(9);
        long total = 0;
        while (total < 7L * QUANTUM * 50 + 777) {
            total += s.drain(1200 + rnd.nextInt(1 << 14), sink);
        }
        for (int i = 0; i < 3; i++) {
            double share = (double) sink.totals[h[i]] / total;
            double want = w[i] / 7.0;
            assertTrue(Math.abs(share - want) <= 0.05 * want, "stream weight " + w[i] + " share " + share);
        }
    }

    @Test
    void interactiveMessageBeatsEightSaturatingBulkStreams() {
        FairScheduler s = new FairScheduler(clock, QUANTUM);
        int[] bulk = new int[8];
        for (int i = 0; i < 8; i++) {
            bulk[i] = s.register(PriorityClass.BULK, 1);
            s.setSendable(bulk[i], SATURATED);
        }
        RecordingSink sink = new RecordingSink();
        // Run the bulk streams into the middle of a round, with partial deficits left.
        for (int i = 0; i < 1000; i++) {
            s.drain(1200, sink);
        }
        long[] before = new long[8];
        for (int i = 0; i < 8; i++) {
            before[i] = sink.totals[bulk[i]];
        }
        int msg = s.register(PriorityClass.INTERACTIVE, 1);
        s.setSendable(msg, 64 << 10);
        int calls = 0;
        while (s.sendable(msg) > 0) {
            s.drain(1200, sink);
            calls++;
            assertTrue(calls < 1000, "interactive message never finished");
        }
        assertEquals(64 << 10, sink.totals[msg]);
        long bulkDuring = 0;
        for (int i = 0; i < 8; i++) {
            long sent = sink.totals[bulk[i]] - before[i];
            assertTrue(sent < QUANTUM, "bulk stream " + i + " sent " + sent + " while the message was pending");
            bulkDuring += sent;
        }
        // Strict priority: the only bulk bytes are those sharing the message's last datagram budget.
        assertTrue(bulkDuring < 1200, "bulk bytes during the message: " + bulkDuring);
    }

    @Test
    void controlAlwaysFirstThenInteractiveThenBulk() {
        FairScheduler s = new FairScheduler(clock, 1000);
        int b = s.register(PriorityClass.BULK, 256);
        int i = s.register(PriorityClass.INTERACTIVE, 256);
        int c = s.register(PriorityClass.CONTROL, 1);
        s.setSendable(b, SATURATED);
        s.setSendable(i, 50_000);
        s.setSendable(c, 5_000);
        RecordingSink sink = new RecordingSink();
        s.drain(100_000, sink);
        int phase = 0; // 0 control, 1 interactive, 2 bulk: the log must never go back to an earlier phase
        int[] phaseOf = new int[3];
        phaseOf[c] = 0;
        phaseOf[i] = 1;
        phaseOf[b] = 2;
        for (long[] g : sink.log) {
            int p = phaseOf[(int) g[0]];
            assertTrue(p >= phase, "class order broken at " + g[0]);
            phase = p;
        }
        assertEquals(5_000, sink.totals[c]);
        assertEquals(50_000, sink.totals[i]);
        assertEquals(45_000, sink.totals[b]);
        // Control that becomes ready mid-stream pre-empts at the very next decision.
        s.setSendable(c, 10);
        assertEquals(c, FairScheduler.handle(s.next(1200)));
    }

    @Test
    void turnsCutByTheBudgetContinueAndIdleStreamsLoseTheirDeficit() {
        FairScheduler s = new FairScheduler(clock, 1000);
        int a = s.register(PriorityClass.BULK, 1);
        int b = s.register(PriorityClass.BULK, 1);
        s.setSendable(a, SATURATED);
        s.setSendable(b, SATURATED);
        long[] want = {a, 300, a, 300, a, 300, a, 100, b, 300};
        for (int k = 0; k < want.length; k += 2) {
            long d = s.next(300);
            assertEquals(want[k], FairScheduler.handle(d));
            assertEquals(want[k + 1], FairScheduler.bytes(d));
        }
        assertEquals(700, s.deficit(b));
        s.setSendable(b, 0); // b goes idle mid-turn: its 700 bytes of deficit are gone
        assertEquals(0, s.deficit(b));
        s.setSendable(b, SATURATED);
        assertEquals(a, FairScheduler.handle(s.next(5000)));
        long d = s.next(5000);
        assertEquals(b, FairScheduler.handle(d));
        assertEquals(1000, FairScheduler.bytes(d), "a fresh quantum, not 1000 + the lost 700");
    }

    @Test
    void grantsNeverExceedSendableOrBudget() {
        FairScheduler s = new FairScheduler(clock, 4096);
        SplittableRandom rnd = new SplittableRandom(11);
        int[] h = new int[20];
        long[] left = new long[20];
        for (int i = 0; i < h.length; i++) {
            h[i] = s.register(PriorityClass.values()[rnd.nextInt(3)], 1 + rnd.nextInt(256));
        }
        for (int step = 0; step < 200_000; step++) {
            int i = rnd.nextInt(h.length);
            if (rnd.nextInt(4) == 0) {
                left[i] = rnd.nextInt(100_000);
                s.setSendable(h[i], left[i]);
            }
            int budget = rnd.nextInt(3000);
            long d = s.next(budget);
            if (d == FairScheduler.NONE) {
                continue;
            }
            int k = indexOf(h, FairScheduler.handle(d));
            int bytes = FairScheduler.bytes(d);
            assertTrue(bytes > 0 && bytes <= budget && bytes <= left[k], "grant " + bytes);
            left[k] -= bytes;
            assertEquals(left[k], s.sendable(h[k]));
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError("unknown handle " + v);
    }

    @Test
    void readyWaitIsMeasuredOnTheInjectedClock() {
        FairScheduler s = new FairScheduler(clock, QUANTUM);
        int bulk = s.register(PriorityClass.BULK, 1);
        s.setSendable(bulk, SATURATED);
        s.next(1200);
        clock.now = 1_000;
        int msg = s.register(PriorityClass.INTERACTIVE, 1);
        s.setSendable(msg, 10_000);
        clock.now = 1_500;
        assertEquals(msg, FairScheduler.handle(s.next(1200)));
        clock.now = 9_000; // later grants of the same backlog are not "first byte" waits
        s.next(1200);
        assertEquals(500, s.maxReadyWaitNs(PriorityClass.INTERACTIVE));
    }

    @Test
    void decisionsDoNotAllocate() {
        FairScheduler s = new FairScheduler(clock, 1500);
        for (int i = 0; i < 32; i++) {
            int h = s.register(PriorityClass.values()[i % 3], 1 + i);
            s.setSendable(h, SATURATED);
        }
        long[] sum = new long[1];
        GrantSink sink = (handle, bytes) -> sum[0] += bytes;
        for (int i = 0; i < 20_000; i++) {
            s.drain(1 + (i & 0xFFFF), sink);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            s.drain(1 + (i & 0xFFFF), sink);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sum[0] > 0);
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 200k drains");
    }

    @Test
    void handlesAreCheckedAndReused() {
        FairScheduler s = new FairScheduler(clock);
        int a = s.register(PriorityClass.BULK, 1);
        s.setSendable(a, 10);
        assertTrue(s.hasWork());
        s.unregister(a);
        assertFalse(s.hasWork());
        assertThrows(IllegalArgumentException.class, () -> s.setSendable(a, 1));
        assertThrows(IllegalArgumentException.class, () -> s.register(PriorityClass.BULK, 0));
        assertThrows(IllegalArgumentException.class, () -> s.register(PriorityClass.BULK, 257));
        assertEquals(a, s.register(PriorityClass.INTERACTIVE, 3));
        assertEquals(FairScheduler.NONE, s.next(1000));
        for (int i = 0; i < 100; i++) {
            s.setSendable(s.register(PriorityClass.BULK, 1), 1);
        }
        assertEquals(100, s.drain(1 << 20, (h, n) -> { }));
    }

    @Test
    void aSessionWithOneStreamAtATimeKeepsTheSmallestArrays() {
        FairScheduler s = new FairScheduler(clock, QUANTUM);
        assertEquals(FairScheduler.INITIAL_HANDLES, s.handleCapacity(), "a new scheduler starts small");
        // An idle reservation: one stream for the session's life, plus short-lived ones that come and go.
        int held = s.register(PriorityClass.CONTROL, 1);
        for (int i = 0; i < 100; i++) {
            int h = s.register(PriorityClass.BULK, 1);
            s.setSendable(h, 1000);
            RecordingSink sink = new RecordingSink();
            assertEquals(1000, s.drain(1 << 20, sink));
            assertEquals(1000, sink.totals[h]);
            s.unregister(h);
        }
        assertEquals(FairScheduler.INITIAL_HANDLES, s.handleCapacity(), "freed handles are reused, nothing grows");
        // Many streams at once grow the arrays, and every stream is still served its share.
        List<Integer> handles = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int h = s.register(PriorityClass.BULK, 1);
            s.setSendable(h, QUANTUM);
            handles.add(h);
        }
        assertTrue(s.handleCapacity() >= 41, "capacity " + s.handleCapacity());
        RecordingSink sink = new RecordingSink();
        assertEquals(40L * QUANTUM, s.drain(Integer.MAX_VALUE, sink));
        for (int h : handles) {
            assertEquals(QUANTUM, sink.totals[h], "handle " + h);
        }
        assertEquals(0, sink.totals[held]);
    }
}
