package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class ReceiveBufferTest {

    private static final StreamId ID = StreamId.blob(9);

    @Test
    void randomReorderingDuplicationAndOverlapDeliverExactlyTheOriginalBytes() throws ProtocolException {
        Random rnd = new Random(31);
        for (int round = 0; round < 40; round++) {
            int window = 1 << (10 + rnd.nextInt(8));
            byte[] data = new byte[window * (1 + rnd.nextInt(6)) + rnd.nextInt(999)];
            rnd.nextBytes(data);
            ReceiveBuffer rb = new ReceiveBuffer(ID, window, 1 << 16);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long sent = 0; // everything below is in 'pending' (possibly duplicated) or delivered
            List<long[]> pending = new ArrayList<>();
            byte[] buf = new byte[1 + rnd.nextInt(5000)];
            while (!rb.isFinished()) {
                // The sender cuts new frames of random size inside the credit, with random overlaps.
                while (sent < Math.min(data.length, rb.advertisedLimit()) && pending.size() < 64) {
                    long start = Math.max(0, sent - rnd.nextInt(300));
                    long end = Math.min(Math.min(data.length, rb.advertisedLimit()), sent + 1 + rnd.nextInt(2000));
                    pending.add(new long[] {start, end});
                    if (rnd.nextInt(5) == 0) {
                        pending.add(new long[] {start, end}); // duplicate
                    }
                    sent = end;
                }
                if (sent == data.length && rnd.nextInt(4) == 0) {
                    pending.add(new long[] {data.length, data.length}); // lone FIN, possibly more than once
                }
                Collections.shuffle(pending, rnd);
                int deliver = 1 + rnd.nextInt(pending.size());
                for (int i = 0; i < deliver; i++) {
                    long[] f = pending.remove(pending.size() - 1);
                    boolean fin = f[1] == data.length;
                    rb.onData(f[0], ByteBuffer.wrap(data, (int) f[0], (int) (f[1] - f[0])), fin);
                    assertTrue(rb.bufferedBytes() <= window);
                }
                int n;
                while ((n = rb.read(buf, 0, buf.length)) > 0) {
                    out.write(buf, 0, n);
                }
                rb.pollCreditUpdate();
            }
            assertArrayEquals(data, out.toByteArray(), "round " + round);
            assertEquals(-1, rb.read(buf, 0, 1));
        }
    }

    @Test
    void adversarialFramesOnlyEverThrowProtocolExceptionAndNeverExceedTheWindow() {
        Random rnd = new Random(37);
        int refused = 0;
        for (int round = 0; round < 2000; round++) {
            int window = 1 + rnd.nextInt(1 << 16);
            ReceiveBuffer rb = new ReceiveBuffer(ID, window, 2 + rnd.nextInt(64));
            byte[] sink = new byte[4096];
            try {
                for (int i = 0; i < 200; i++) {
                    long offset = rnd.nextInt(4) == 0 ? rnd.nextLong() >>> 3 : rnd.nextInt(window + 100);
                    int len = rnd.nextInt(Math.min(5000, window + 1));
                    rb.onData(offset, ByteBuffer.allocate(len), rnd.nextInt(20) == 0);
                    assertTrue(rb.bufferedBytes() <= window);
                    rb.read(sink, 0, rnd.nextInt(sink.length));
                    rb.pollCreditUpdate();
                    rb.pollAck(64);
                }
            } catch (ProtocolException e) {
                refused++;
                assertNotNull(e.error());
            }
        }
        assertTrue(refused > 1000, "random frames must mostly be refused, refused " + refused);
    }

    @Test
    void dataBeyondTheCreditIsFlowControlError() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1000, 64);
        rb.onData(999, ByteBuffer.allocate(1), false);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> rb.onData(500, ByteBuffer.allocate(501), false));
        assertEquals(ProtocolError.FLOW_CONTROL, e.error());
        assertEquals(1, rb.bufferedBytes());
    }

    @Test
    void creditIsRaisedOnlyAsTheReaderConsumes() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1000, 64);
        rb.onData(0, ByteBuffer.allocate(1000), false);
        assertNull(rb.pollCreditUpdate(), "nothing read, nothing to grant");
        byte[] b = new byte[400];
        assertEquals(400, rb.read(b, 0, 400));
        assertNull(rb.pollCreditUpdate(), "under half a window consumed");
        assertEquals(200, rb.read(b, 0, 200));
        MaxStreamData m = rb.pollCreditUpdate();
        assertNotNull(m);
        assertEquals(1600, m.maxOffset());
        assertEquals(ID, m.id());
        rb.onData(1000, ByteBuffer.allocate(600), false);
        assertEquals(1000, rb.bufferedBytes());
    }

    @Test
    void finalSizeRulesAreEnforced() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1000, 64);
        rb.onData(100, ByteBuffer.allocate(50), true);
        assertEquals(150, rb.finalSize());
        assertEquals(ProtocolError.FINAL_SIZE, assertThrows(ProtocolException.class,
                () -> rb.onData(140, ByteBuffer.allocate(20), false)).error());
        assertEquals(ProtocolError.FINAL_SIZE, assertThrows(ProtocolException.class,
                () -> rb.onData(0, ByteBuffer.allocate(10), true)).error());
        ReceiveBuffer rb2 = new ReceiveBuffer(ID, 1000, 64);
        rb2.onData(0, ByteBuffer.allocate(500), false);
        assertEquals(ProtocolError.FINAL_SIZE, assertThrows(ProtocolException.class,
                () -> rb2.onData(0, ByteBuffer.allocate(100), true)).error());
    }

    @Test
    void acksCoverReceivedRangesAndTheFinAsAVirtualByte() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1000, 64);
        rb.onData(0, ByteBuffer.allocate(100), false);
        rb.onData(200, ByteBuffer.allocate(100), true);
        AckRanges a = rb.pollAck(16);
        assertEquals(List.of(new AckRanges.Range(0, 100), new AckRanges.Range(200, 301)), a.ranges());
        assertNull(rb.pollAck(16), "nothing new since the last ack");
        rb.onData(50, ByteBuffer.allocate(10), false); // duplicate still earns an ack (the sender may need it)
        assertNotNull(rb.pollAck(16));
    }

    @Test
    void tooManyHolesIsRefused() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1 << 16, 8);
        for (int i = 0; i < 8; i++) {
            rb.onData(10L * i + 1, ByteBuffer.allocate(1), false);
        }
        assertEquals(ProtocolError.PROTOCOL_VIOLATION, assertThrows(ProtocolException.class,
                () -> rb.onData(1000, ByteBuffer.allocate(1), false)).error());
    }

    @Test
    void resetDropsBytesAndEndsTheStream() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1000, 64);
        rb.onData(0, ByteBuffer.allocate(300), false);
        rb.onReset(400);
        assertTrue(rb.isReset());
        assertEquals(0, rb.bufferedBytes());
        assertEquals(-1, rb.read(new byte[10], 0, 10));
        assertEquals(ProtocolError.FINAL_SIZE, assertThrows(ProtocolException.class,
                () -> rb.onData(390, ByteBuffer.allocate(20), false)).error());
    }
}
