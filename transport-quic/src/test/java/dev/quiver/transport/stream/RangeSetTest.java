package dev.quiver.transport.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.BitSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class RangeSetTest {

    @Test
    void randomAddsAndRemovesMatchABitSetModel() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int round = 0; round < 200; round++) {
            RangeSet set = new RangeSet();
            BitSet model = new BitSet();
            for (int op = 0; op < 300; op++) {
                int start = rnd.nextInt(2000);
                int end = start + rnd.nextInt(60);
                if (rnd.nextInt(3) == 0) {
                    long had = model.get(start, end).cardinality();
                    assertEquals(had, set.remove(start, end));
                    model.clear(start, end);
                } else {
                    long had = model.get(start, end).cardinality();
                    assertEquals((end - start) - had, set.add(start, end));
                    model.set(start, end);
                }
                checkAgainst(model, set);
                int probe = rnd.nextInt(2100);
                int next = probe + 1;
                while (next < 2100 && !(model.get(next) && !model.get(next - 1))) {
                    next++;
                }
                assertEquals(next < 2100 ? next : Long.MAX_VALUE, set.nextStartAfter(probe), "after " + probe);
            }
        }
    }

    private static void checkAgainst(BitSet model, RangeSet set) {
        assertEquals(model.cardinality(), set.coveredBytes());
        int i = 0;
        for (int s = model.nextSetBit(0); s >= 0; s = model.nextSetBit(model.nextClearBit(s))) {
            int e = model.nextClearBit(s);
            int at = i;
            assertEquals(s, set.start(i), () -> "start of range " + at + " in " + set);
            assertEquals(e, set.end(i), () -> "end of range " + at + " in " + set);
            assertTrue(set.contains(s) && set.contains(e - 1) && !set.contains(e));
            assertEquals(e, set.contiguousEnd(s));
            i++;
        }
        assertEquals(i, set.size());
    }

    @Test
    void adjacentRangesMergeAndRangesExportAscending() {
        RangeSet set = new RangeSet();
        set.add(10, 20);
        set.add(30, 40);
        set.add(20, 30);
        assertEquals(1, set.size());
        set.add(50, 60);
        set.add(0, 5);
        assertArrayEquals(new long[] {0, 5, 10, 40}, set.toAckBounds(2));
        set.removeBelow(35);
        assertEquals(35, set.start(0));
        assertEquals(5 + 10, set.coveredBytes());
    }
}
