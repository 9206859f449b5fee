package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SendBufferTest {

    /** One emitted chunk, with its bytes copied out (as the session must). */
    record Chunk(long offset, byte[] bytes, boolean fin) {
    }

    static final class Collect implements ChunkSink {
        final List<Chunk> chunks = new ArrayList<>();

        @Override
        public void chunk(long offset, ByteBuffer src, boolean fin) {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            chunks.add(new Chunk(offset, bytes, fin));
        }

        Chunk last() {
            return chunks.get(chunks.size() - 1);
        }
    }

    private static byte[] seq(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static List<AckRanges.Range> range(long start, long end) {
        return List.of(new AckRanges.Range(start, end));
    }

    @Test
    void windowBoundsBufferedBytesAndAcksFreeThem() throws ProtocolException {
        SendBuffer sb = new SendBuffer(1000, 1 << 20);
        int[] wakeups = new int[1];
        sb.setWritableListener(() -> wakeups[0]++);
        ByteBuffer src = ByteBuffer.wrap(seq(1500, 0));
        assertEquals(1000, sb.write(src));
        assertEquals(500, src.remaining());
        assertEquals(0, sb.write(src), "full: blocked");
        assertEquals(1000, sb.bufferedBytes());
        Collect c = new Collect();
        assertEquals(600, sb.emit(600, c));
        sb.onAck(range(0, 300));
        assertEquals(1, wakeups[0]);
        assertEquals(700, sb.bufferedBytes());
        assertEquals(300, sb.write(src), "cut short again: 200 bytes still waiting");
        sb.onAck(range(300, 600));
        assertEquals(2, wakeups[0]);
        assertEquals(600, sb.ackFloor());
        // The ring wrapped (capacity 1024): bytes still come out exactly.
        Collect all = new Collect();
        while (sb.emit(10_000, all) > 0) {
            assertTrue(all.last().bytes().length > 0);
        }
        byte[] expect = seq(1300, 0);
        long at = 600;
        for (Chunk ch : all.chunks) {
            assertEquals(at, ch.offset());
            assertArrayEquals(Arrays.copyOfRange(expect, (int) at, (int) at + ch.bytes().length), ch.bytes());
            at += ch.bytes().length;
        }
        assertEquals(1300, at);
        sb.onAck(range(600, 700));
        assertEquals(2, wakeups[0], "no write was refused since the last wake-up");
    }

    @Test
    void newBytesWaitForCreditButResendsDoNot() throws ProtocolException {
        SendBuffer sb = new SendBuffer(10_000, 100);
        sb.write(ByteBuffer.wrap(seq(500, 0)));
        assertEquals(100, sb.sendableBytes());
        Collect c = new Collect();
        assertEquals(100, sb.emit(1000, c));
        assertEquals(0, sb.emit(1000, c));
        assertTrue(sb.isCreditBlocked());
        sb.onLost(0, 100);
        assertEquals(100, sb.sendableBytes(), "a lost range is re-sent without new credit");
        assertEquals(60, sb.emit(60, c));
        assertEquals(0, c.last().offset());
        sb.onMaxStreamData(50); // stale: ignored
        assertEquals(100, sb.creditLimit());
        sb.onMaxStreamData(400);
        assertEquals(40 + 300, sb.sendableBytes());
    }

    @Test
    void finIsAVirtualByteSentAckedAndResentLikeData() throws ProtocolException {
        SendBuffer sb = new SendBuffer(1000, 1000);
        sb.write(ByteBuffer.wrap(seq(10, 0)));
        Collect c = new Collect();
        assertEquals(10, sb.emit(100, c));
        assertFalse(c.last().fin());
        sb.finish();
        assertEquals(1, sb.sendableBytes(), "a lone FIN counts as one byte");
        assertEquals(1, sb.emit(100, c));
        assertEquals(new Chunk(10, new byte[0], true).offset(), c.last().offset());
        assertTrue(c.last().fin());
        assertEquals(0, c.last().bytes().length);
        sb.onLost(0, 11);
        assertEquals(11, sb.emit(100, c), "re-send carries data and FIN together");
        assertTrue(c.last().fin());
        assertFalse(sb.isComplete());
        sb.onAck(range(0, 10));
        assertFalse(sb.isComplete(), "FIN not acknowledged yet");
        sb.onAck(range(10, 11));
        assertTrue(sb.isComplete());
        assertThrows(IllegalStateException.class, () -> sb.write(ByteBuffer.allocate(1)));
    }

    @Test
    void requeueAfterPathDeathResendsOnlyUnacknowledgedRanges() throws ProtocolException {
        SendBuffer sb = new SendBuffer(10_000, 10_000);
        sb.write(ByteBuffer.wrap(seq(1000, 0)));
        Collect c = new Collect();
        while (sb.emit(100, c) > 0) {
            // send everything in 100-byte chunks
        }
        sb.onAck(List.of(new AckRanges.Range(0, 200), new AckRanges.Range(500, 700)));
        sb.requeueUnacked();
        assertEquals(300 + 300, sb.sendableBytes());
        Collect again = new Collect();
        while (sb.emit(1000, again) > 0) {
            // drain the re-sends
        }
        assertEquals(List.of(200L, 700L), again.chunks.stream().map(Chunk::offset).toList());
        assertEquals(300, again.chunks.get(0).bytes().length);
        assertArrayEquals(seq(300, 700), again.chunks.get(1).bytes());
    }

    @Test
    void ackOfBytesNeverSentIsAProtocolViolation() {
        SendBuffer sb = new SendBuffer(1000, 1000);
        sb.write(ByteBuffer.wrap(seq(100, 0)));
        sb.emit(50, (o, s, f) -> { });
        ProtocolException e = assertThrows(ProtocolException.class, () -> sb.onAck(range(0, 51)));
        assertEquals(ProtocolError.PROTOCOL_VIOLATION, e.error());
    }

    @Test
    void anIdleStreamHoldsNoBytesAndSmallMessagesStaySmall() throws ProtocolException {
        SendBuffer idle = new SendBuffer(16 << 20, 1 << 20);
        assertEquals(0, idle.ringCapacity(), "a stream that never wrote holds no array");
        idle.finish();
        Collect fin = new Collect();
        assertEquals(1, idle.emit(100, fin), "a lone FIN goes out of an empty ring");
        assertTrue(fin.last().fin());
        assertEquals(0, fin.last().bytes().length);
        assertEquals(0, idle.ringCapacity());

        SendBuffer sb = new SendBuffer(16 << 20, 1 << 20);
        Collect c = new Collect();
        for (int i = 0; i < 100; i++) {
            byte[] pong = seq(14, i);
            assertEquals(14, sb.write(ByteBuffer.wrap(pong)));
            // A message across the ring's end goes out as two chunks (never one that wraps).
            long at = sb.sendHighWater();
            java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
            while (sb.emit(1200, c) > 0) {
                assertEquals(at + sent.size(), c.last().offset());
                sent.writeBytes(c.last().bytes());
            }
            assertArrayEquals(pong, sent.toByteArray());
            sb.onAck(range(0, sb.sendHighWater()));
        }
        assertEquals(ByteRing.MIN_CAPACITY, sb.ringCapacity(), "acknowledged small messages reuse the smallest array");
    }
}
