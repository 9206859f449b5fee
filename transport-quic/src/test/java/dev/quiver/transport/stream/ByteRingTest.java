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
}
