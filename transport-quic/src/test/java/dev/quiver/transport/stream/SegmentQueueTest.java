package dev.quiver.transport.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SegmentQueueTest {

    @Test
    void controlMessagesReadAsTheyArriveKeepTheSmallestArraysAndReorderingGrowsThem() {
        SegmentQueue q = new SegmentQueue(1024, 1L << 30);
        assertEquals(SegmentQueue.INITIAL_SLOTS, q.slotCapacity());
        ByteBuf net = Unpooled.buffer(14);
        net.writeZero(14);
        // An idle reservation's stream: a 14-byte message now and then, read before the next arrives.
        for (long offset = 0; offset < 1400; offset += 14) {
            q.insert(offset, net, 0, 14);
            ByteBuf got = q.pollFirst(offset, 1 << 20);
            assertEquals(14, got.readableBytes());
            got.release();
        }
        assertEquals(SegmentQueue.INITIAL_SLOTS, q.slotCapacity(), "one slice at a time never grows the arrays");
        // Forty slices out of order: the arrays grow and the bytes still come out in offset order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(7));
        ByteBuf src = Unpooled.buffer(40);
        for (int i = 0; i < 40; i++) {
            src.writeByte(i);
        }
        for (int i : order) {
            q.insert(2000 + i, src, i, 1);
        }
        assertTrue(q.slotCapacity() >= 40, "capacity " + q.slotCapacity());
        assertNull(q.pollFirst(1999, 1), "nothing starts before the first slice");
        for (int i = 0; i < 40; i++) {
            ByteBuf b = q.pollFirst(2000 + i, 1 << 20);
            assertEquals(i, b.readByte());
            b.release();
        }
        assertEquals(0, q.segments());
        assertEquals(1, net.refCnt(), "every slice handed out was released once");
        assertEquals(1, src.refCnt());
    }
}
