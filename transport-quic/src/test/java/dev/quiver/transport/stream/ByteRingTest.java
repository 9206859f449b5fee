package dev.quiver.transport.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ByteRingTest {

    @Test
    void slidingWindowWithGrowthKeepsEveryByteAtItsOffset() {
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] data = new byte[1 << 20];
        rnd.nextBytes(data);
        int max = 100_000; // rounds up to 131072
        ByteRing ring = new ByteRing(max);
        long from = 0;
        long to = 0;
        while (to < data.length) {
            // Append a random amount (the span may grow up to max), then consume a random amount.
            int n = (int) Math.min(data.length - to, Math.min(rnd.nextInt(20_000), max - (to - from)));
            ring.ensure(from, to, to + n);
            ring.put(to, ByteBuffer.wrap(data, (int) to, n));
            to += n;
            int m = (int) Math.min(to - from, rnd.nextInt(15_000)); // consumes less than it appends: the span fills up
            byte[] out = new byte[m];
            ring.copyOut(from, out, 0, m);
            assertArrayEquals(Arrays.copyOfRange(data, (int) from, (int) from + m), out, "at " + from);
            from += m;
        }
        assertTrue(ring.capacity() <= 131_072, "capacity " + ring.capacity());
        assertEquals(131_072, ring.capacity(), "the span needed the full window at some point");
        assertThrows(IllegalStateException.class, () -> new ByteRing(1000).ensure(0, 0, 1025));
    }

    @Test
    void aRingHoldsNoArrayUntilBytesNeedRoomAndThenOnlyWhatTheyNeed() {
        ByteRing ring = new ByteRing(1 << 20);
        assertEquals(0, ring.capacity(), "a new ring allocates nothing");
        assertEquals(0, ring.contiguous(0), "nothing is readable from an empty ring");
        ring.ensure(0, 0, 14);
        assertEquals(ByteRing.MIN_CAPACITY, ring.capacity(), "a small message takes the smallest array");
        // Many small messages, each acknowledged before the next: the span never grows, nor does the array.
        byte[] message = new byte[14];
        for (long at = 0; at < 14_000; at += message.length) {
            Arrays.fill(message, (byte) at);
            ring.ensure(at, at, at + message.length);
            ring.put(at, ByteBuffer.wrap(message));
            byte[] out = new byte[message.length];
            ring.copyOut(at, out, 0, out.length);
            assertArrayEquals(message, out, "at " + at);
        }
        assertEquals(ByteRing.MIN_CAPACITY, ring.capacity());
        ring.ensure(0, 0, 5000);
        assertEquals(8192, ring.capacity(), "a bigger span takes the next power of two at once");
        ByteRing tiny = new ByteRing(3);
        tiny.ensure(0, 0, 3);
        assertEquals(4, tiny.capacity(), "never more than the maximum");
    }
}
