package dev.quiver.transport.stream;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reassembly keeps the network's buffers (retained slices) instead of copying: every slice is released exactly
 * once, whoever ends up with it (reader, reset, discard, compaction). Reference counts of the source buffers are
 * the evidence: the caller releases its own reference right after {@code onData}, as the frame decoder does.
 */
@Timeout(20)
class ReceiveBufferOwnershipTest {

    private static final StreamId ID = StreamId.blob(11);

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ByteBuf direct(byte[] bytes) {
        ByteBuf b = Unpooled.directBuffer(bytes.length);
        return b.writeBytes(bytes);
    }

    @Test
    void inOrderBytesAreHandedOverWithoutACopyAndReleasedByTheReader() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1 << 16, 16);
        byte[] data = random(1000, 1);
        ByteBuf src = direct(data);
        rb.onData(0, src, 100, 900, false); // a payload after a 100-byte frame header: only [100, 1000) counts
        assertEquals(2, src.refCnt(), "the reassembly retains a slice of the network buffer");
        src.release();
        ByteBuf got = rb.poll(Integer.MAX_VALUE);
        assertEquals(900, got.readableBytes());
        assertEquals(src.memoryAddress() + 100, got.memoryAddress(), "the same memory, not a copy");
        assertEquals(900, rb.readOffset());
        got.release();
        assertEquals(0, src.refCnt());
    }

    @Test
    void partialReadsHandOutPiecesAndTheRestStaysHeld() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1 << 16, 16);
        byte[] data = random(1000, 2);
        ByteBuf src = direct(data);
        rb.onData(0, src, 0, 1000, true);
        src.release();
        ByteBuf first = rb.poll(300);
        assertEquals(300, first.readableBytes());
        byte[] a = new byte[300];
        first.readBytes(a);
        first.release();
        assertTrue(src.refCnt() > 0, "700 bytes still held");
        byte[] b = new byte[700];
        assertEquals(700, rb.read(b, 0, 700));
        assertEquals(0, src.refCnt(), "read to the end: every slice released");
        assertEquals(-1, rb.read(b, 0, 1));
        byte[] all = new byte[1000];
        System.arraycopy(a, 0, all, 0, 300);
        System.arraycopy(b, 0, all, 300, 700);
        assertArrayEquals(data, all);
    }

    @Test
    void outOfOrderDuplicatedAndOverlappingPiecesKeepOnlyNewBytesAndReleaseAll() throws ProtocolException {
        Random rnd = new Random(5);
        for (int round = 0; round < 50; round++) {
            byte[] data = random(2000 + rnd.nextInt(30000), round);
            ReceiveBuffer rb = new ReceiveBuffer(ID, data.length, 1 << 12);
            List<long[]> frames = new ArrayList<>();
            for (int at = 0; at < data.length; ) {
                int len = Math.min(data.length - at, 1 + rnd.nextInt(3000));
                frames.add(new long[] {at, at + len});
                if (rnd.nextInt(3) == 0) {
                    int s = Math.max(0, at - rnd.nextInt(500));
                    frames.add(new long[] {s, Math.min(data.length, at + len + rnd.nextInt(500))}); // overlap
                }
                at += len;
            }
            Collections.shuffle(frames, rnd);
            List<ByteBuf> sources = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 + rnd.nextInt(4000)];
            for (long[] f : frames) {
                int len = (int) (f[1] - f[0]);
                byte[] payload = new byte[len];
                System.arraycopy(data, (int) f[0], payload, 0, len);
                ByteBuf src = direct(payload);
                sources.add(src);
                rb.onData(f[0], src, 0, len, f[1] == data.length);
                src.release();
                assertTrue(rb.bufferedBytes() <= data.length);
                if (rnd.nextBoolean()) {
                    drain(rb, buf, out);
                }
            }
            drain(rb, buf, out);
            assertTrue(rb.isFinished());
            assertArrayEquals(data, out.toByteArray(), "round " + round);
            for (ByteBuf s : sources) {
                assertEquals(0, s.refCnt(), "round " + round + ": a source buffer is still referenced");
            }
        }
    }

    private static void drain(ReceiveBuffer rb, byte[] buf, ByteArrayOutputStream out) {
        int n;
        while ((n = rb.read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
    }

    @Test
    void resetWhileBuffersAreHeldReleasesThem() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1 << 16, 16);
        ByteBuf inOrder = direct(new byte[500]);
        ByteBuf ahead = direct(new byte[500]);
        rb.onData(0, inOrder, 0, 500, false);
        rb.onData(2000, ahead, 0, 500, false);
        inOrder.release();
        ahead.release();
        ByteBuf taken = rb.poll(100); // the reader already holds a piece when the reset comes
        rb.onReset(3000);
        assertEquals(1, inOrder.refCnt(), "only the reader's piece is left");
        assertEquals(0, ahead.refCnt());
        taken.release();
        assertEquals(0, inOrder.refCnt());
        assertNull(rb.poll(10));
        ByteBuf late = direct(new byte[10]);
        rb.onData(2500, late, 0, 10, false);
        assertEquals(1, late.refCnt(), "bytes after a reset are not kept");
        late.release();
    }

    @Test
    void discardReleasesEverythingAndKeepsNothingThatArrivesLater() throws ProtocolException {
        ReceiveBuffer rb = new ReceiveBuffer(ID, 1 << 16, 16);
        ByteBuf a = direct(new byte[1000]);
        ByteBuf b = direct(new byte[1000]);
        rb.onData(0, a, 0, 1000, false);
        rb.onData(5000, b, 0, 1000, false);
        rb.discard();
        assertEquals(1, a.refCnt(), "only the caller's own reference remains");
        assertEquals(1, b.refCnt());
        rb.onData(1000, a, 0, 1000, false);
        assertEquals(1, a.refCnt(), "arriving after the discard: not kept");
        assertEquals(0, rb.readableBytes());
        assertNotNull(rb.pollAck(16), "discarded bytes are still acknowledged");
        a.release();
        b.release();
    }

    @Test
    void manyTinyPiecesAreCompactedIntoRunsAndStayIntact() throws ProtocolException {
        // Window 8 KiB, 2 holes at most: at most 6 slices before the runs are copied together.
        ReceiveBuffer rb = new ReceiveBuffer(ID, 8192, 2);
        byte[] data = random(3000, 9);
        List<ByteBuf> sources = new ArrayList<>();
        for (int i = 0; i < data.length; i += 3) {
            int at = i < 1500 ? i : data.length - 3 - (i - 1500); // in order, then backwards from the end
            ByteBuf src = direct(new byte[] {data[at], data[at + 1], data[at + 2]});
            sources.add(src);
            rb.onData(at, src, 0, 3, false);
            src.release();
        }
        long released = sources.stream().filter(s -> s.refCnt() == 0).count();
        assertTrue(released > sources.size() - 10, "compaction copied the tiny slices and let go of their buffers: "
                + released + " of " + sources.size());
        byte[] out = new byte[data.length];
        assertEquals(data.length, rb.read(out, 0, out.length));
        assertArrayEquals(data, out);
        for (ByteBuf s : sources) {
            assertEquals(0, s.refCnt());
        }
    }

    @Test
    void smallPiecesOfBigNetworkBuffersAreCopiedOutBeforeTheyPinTooMuch() throws ProtocolException {
        int window = 64 << 10;
        ReceiveBuffer rb = new ReceiveBuffer(ID, window, 64);
        long bound = 4L * window + (1 << 20);
        byte[] data = random(100 * 60, 4);
        List<ByteBuf> sources = new ArrayList<>();
        for (int i = 59; i >= 1; i--) { // backwards, so nothing is readable and everything stays held
            ByteBuf src = Unpooled.directBuffer(64 << 10).writeBytes(data, i * 100, 100);
            sources.add(src);
            rb.onData(i * 100L, src, 0, 100, false);
            src.release();
            assertTrue(rb.pinnedBytes() <= bound, "pinned " + rb.pinnedBytes() + " > " + bound);
        }
        assertTrue(sources.stream().filter(s -> s.refCnt() == 0).count() > 20,
                "copied out: their 64 KiB network buffers are free");
        ByteBuf first = direct(java.util.Arrays.copyOf(data, 100));
        rb.onData(0, first, 0, 100, false);
        first.release();
        byte[] out = new byte[data.length];
        assertEquals(data.length, rb.read(out, 0, out.length));
        assertArrayEquals(data, out);
        assertEquals(0, rb.pinnedBytes());
        for (ByteBuf s : sources) {
            assertEquals(0, s.refCnt());
        }
    }
}
