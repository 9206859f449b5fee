package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.FrameLimits;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sender and receiver of one logical stream wired together in memory through the real frame codec, over two
 * lossy, reordering "paths" (one of which dies), with acks and credit on a reliable control channel. The real
 * socket version of this test belongs to the session layer.
 */
@Timeout(30)
class FlowControlPumpTest {

    private static final StreamId ID = StreamId.blob(0xABCDEF);
    private static final int SEND_WINDOW = 64 << 10;
    private static final int RECV_WINDOW = 32 << 10;
    private static final FrameCodec CODEC = new FrameCodec(FrameLimits.DEFAULT);

    /** A frame in flight and the virtual range it covers (for loss reports). */
    record InFlight(byte[] wire, long offset, long virtualLength) {
    }

    private final SplittableRandom rnd = new SplittableRandom(77);
    private final SendBuffer send = new SendBuffer(SEND_WINDOW, RECV_WINDOW);
    private final ReceiveBuffer recv = new ReceiveBuffer(ID, RECV_WINDOW, 4096);
    private final List<List<InFlight>> paths = List.of(new ArrayList<>(), new ArrayList<>());
    private final boolean[] pathAlive = {true, true};
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long maxSenderBuffered;
    private long maxReceiverBuffered;

    @Test
    void stalledReaderBoundsBothSidesAndTransferCompletesWhenItResumes() throws ProtocolException {
        byte[] data = new byte[3 << 20];
        rnd.nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);

        // Phase 1: reading, path 1 dies a third of the way through.
        pump(src, true, 400, data.length / 3);
        pathAlive[1] = false;
        for (InFlight f : paths.get(1)) {
            send.onLost(f.offset(), f.virtualLength());
        }
        paths.get(1).clear();

        // Phase 2: the reader stops. Run until nothing moves any more.
        long readBefore = recv.readOffset();
        pump(src, false, 2000, Long.MAX_VALUE);
        assertEquals(readBefore, recv.readOffset());
        assertEquals(0, send.sendableBytes(), "sender must be out of credit");
        assertTrue(send.isCreditBlocked());
        assertTrue(recv.bufferedBytes() <= RECV_WINDOW);
        assertTrue(send.bufferedBytes() <= SEND_WINDOW);
        assertTrue(send.writeOffset() <= readBefore + RECV_WINDOW + SEND_WINDOW,
                "the application could not write past the windows: " + send.writeOffset());
        assertTrue(src.hasRemaining(), "the stalled reader must have stopped the writer");

        // Phase 3: the reader resumes; everything completes and arrives intact.
        pump(src, true, 1_000_000, Long.MAX_VALUE);
        assertTrue(recv.isFinished(), "transfer did not complete");
        assertTrue(send.isComplete(), "sender still waits for acks");
        assertArrayEquals(data, received.toByteArray());
        assertTrue(maxSenderBuffered <= SEND_WINDOW, "sender buffered " + maxSenderBuffered);
        assertTrue(maxReceiverBuffered <= RECV_WINDOW, "receiver buffered " + maxReceiverBuffered);
        assertTrue(maxSenderBuffered > SEND_WINDOW / 2, "the window was actually used: " + maxSenderBuffered);
    }

    /** Runs steps until {@code maxSteps}, or until the receiver has read {@code readTarget} bytes, or idle. */
    private void pump(ByteBuffer src, boolean reading, int maxSteps, long readTarget) throws ProtocolException {
        int idle = 0;
        for (int step = 0; step < maxSteps && recv.readOffset() < readTarget && !recv.isFinished(); step++) {
            boolean moved = false;
            // Application writes whatever the window allows, and finishes at the end.
            if (src.hasRemaining()) {
                int n = send.write(src.slice(src.position(), Math.min(src.remaining(), 1 + rnd.nextInt(20_000))));
                src.position(src.position() + n);
                moved |= n > 0;
                if (!src.hasRemaining()) {
                    send.finish();
                }
            }
            // Sender emits a few chunks onto random live paths.
            for (int i = 0; i < 8 && send.sendableBytes() > 0; i++) {
                send.emit(1 + rnd.nextInt(1400), this::onChunk);
                moved = true;
            }
            // Paths deliver a random frame each (reordering), sometimes duplicated, sometimes lost on path 1.
            for (int p = 0; p < 2; p++) {
                List<InFlight> q = paths.get(p);
                for (int k = 0; k < 4 && !q.isEmpty(); k++) {
                    int pick = rnd.nextInt(q.size());
                    InFlight f = rnd.nextInt(10) == 0 ? q.get(pick) : q.remove(pick);
                    if (p == 1 && rnd.nextInt(50) == 0) {
                        send.onLost(f.offset(), f.virtualLength()); // the session's loss detection
                        continue;
                    }
                    StreamData d = (StreamData) CODEC.decode(ByteBuffer.wrap(f.wire()));
                    recv.onData(d.offset(), d.payload(), d.fin());
                    moved = true;
                }
            }
            if (reading) {
                byte[] buf = new byte[1 + rnd.nextInt(9000)];
                int n;
                while ((n = recv.read(buf, 0, buf.length)) > 0) {
                    received.write(buf, 0, n);
                    moved = true;
                }
            }
            // Control stream (reliable, in order): acks and credit, also through the codec.
            AckRanges ack = recv.pollAck(FrameLimits.DEFAULT.maxAckRanges());
            if (ack != null) {
                send.onAck(((AckRanges) roundTrip(ack)).ranges());
            }
            MaxStreamData credit = recv.pollCreditUpdate();
            if (credit != null) {
                send.onMaxStreamData(((MaxStreamData) roundTrip(credit)).maxOffset());
                moved = true;
            }
            maxSenderBuffered = Math.max(maxSenderBuffered, send.bufferedBytes());
            maxReceiverBuffered = Math.max(maxReceiverBuffered, recv.bufferedBytes());
            assertTrue(send.bufferedBytes() <= SEND_WINDOW);
            assertTrue(recv.bufferedBytes() <= RECV_WINDOW);
            idle = moved ? 0 : idle + 1;
            if (idle > 20 && paths.get(0).isEmpty() && paths.get(1).isEmpty()) {
                return;
            }
        }
    }

    private void onChunk(long offset, ByteBuffer src, boolean fin) {
        int length = src.remaining();
        StreamData d = new StreamData(ID, offset, fin, src);
        int p = pathAlive[1] && rnd.nextBoolean() ? 1 : 0;
        paths.get(p).add(new InFlight(FrameCodec.encode(d), offset, length + (fin ? 1 : 0)));
    }

    private static Frame roundTrip(Frame f) throws ProtocolException {
        return CODEC.decode(ByteBuffer.wrap(FrameCodec.encode(f)));
    }
}
