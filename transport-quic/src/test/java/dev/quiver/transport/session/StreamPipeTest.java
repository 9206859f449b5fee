package dev.quiver.transport.session;

import dev.quiver.transport.StreamResetException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application/event-loop hand-off of one stream, with the test thread playing the loop. */
@Timeout(10)
class StreamPipeTest {

    @Test
    void writerBlocksAtTheSendSpaceUntilAcknowledgementsFreeIt() throws Exception {
        StreamPipe pipe = new StreamPipe(100, 64);
        boolean[] wake = new boolean[1];
        assertEquals(100, pipe.write(new byte[150], 0, 150, true, wake));
        assertTrue(wake[0], "the first hand-over wakes the loop");
        wake[0] = false;
        assertEquals(0, pipe.write(new byte[10], 0, 10, false, wake), "no space left: non-blocking write takes 0");

        Future<Integer> blocked = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> pipe.write(new byte[50], 0, 50, true, new boolean[1]));
        Thread.sleep(100);
        assertFalse(blocked.isDone(), "a writer with no space must wait");
        List<ByteBuffer> out = new ArrayList<>();
        assertFalse(pipe.drainOut(out));
        assertEquals(100, out.stream().mapToInt(ByteBuffer::remaining).sum());
        pipe.addSendSpace(30);
        assertEquals(30, blocked.get(5, TimeUnit.SECONDS));
    }

    @Test
    void finFollowsTheBytesHandedOverAndLaterWritesFail() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 64);
        pipe.write(new byte[] {1, 2, 3}, 0, 3, true, new boolean[1]);
        assertFalse(pipe.requestFin(), "the loop is already scheduled by the write");
        List<ByteBuffer> out = new ArrayList<>();
        assertTrue(pipe.drainOut(out), "FIN after the bytes");
        assertFalse(pipe.drainOut(new ArrayList<>()), "FIN is handed over once");
        assertThrows(IOException.class, () -> pipe.write(new byte[1], 0, 1, true, new boolean[1]));
    }

    @Test
    void aBlockedReaderWakesAtAFrameEndNotForEveryPieceOfAFrame() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 4096);
        Future<Integer> reader = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> pipe.read(new byte[1000], 0, 1000, null, true, new boolean[1]));
        awaitBlockedReader(pipe);
        pipe.deliver(List.of(Unpooled.wrappedBuffer(new byte[100])), false, false, false);
        Thread.sleep(100); // a reader woken by the first piece would have returned its 100 bytes by now
        assertFalse(reader.isDone(), "a piece of a frame whose rest is on its way does not wake the reader");
        pipe.deliver(List.of(Unpooled.wrappedBuffer(new byte[50])), false, false, true);
        assertEquals(150, reader.get(5, TimeUnit.SECONDS), "woken at the frame's end, it reads both pieces at once");
    }

    @Test
    void aBlockedReaderWakesOnceTheBytesItAskedForAreHereEvenMidFrame() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 4096);
        Future<Integer> reader = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> pipe.read(new byte[64], 0, 64, null, true, new boolean[1]));
        awaitBlockedReader(pipe);
        pipe.deliver(List.of(Unpooled.wrappedBuffer(new byte[100])), false, false, false);
        assertEquals(64, reader.get(5, TimeUnit.SECONDS));
    }

    /** Waits until a reader blocks in {@code pipe} (it has registered what it wants). */
    private static void awaitBlockedReader(StreamPipe pipe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!pipe.readerWaiting()) {
            assertTrue(System.nanoTime() < deadline, "the reader never blocked");
            Thread.sleep(5);
        }
    }

    @Test
    void readerAsksForARefillOnlyWhenTheLoopHoldsMore() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 64);
        assertEquals(64, pipe.deliverRoom());
        assertFalse(pipe.deliver(List.of(Unpooled.wrappedBuffer(new byte[64])), false, true, true),
                "a full queue: no immediate re-delivery");
        assertEquals(0, pipe.deliverRoom());
        byte[] dst = new byte[40];
        boolean[] wake = new boolean[1];
        assertEquals(40, pipe.read(dst, 0, 40, null, true, wake));
        assertTrue(wake[0], "below half the queue with a backlog: ask the loop");
        wake[0] = false;
        assertEquals(24, pipe.read(dst, 0, 40, null, false, wake));
        assertFalse(wake[0], "a refill is already requested");
        assertEquals(0, pipe.read(dst, 0, 40, null, false, wake), "nothing queued: non-blocking read gives 0");
        pipe.deliverRoom();
        assertTrue(pipe.deliver(List.of(), false, true, true), "room and more held: deliver again now");
    }

    @Test
    void endOfStreamAndResetsReachTheReader() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 64);
        pipe.deliver(List.of(Unpooled.wrappedBuffer(new byte[] {7, 8})), true, false, true);
        byte[] dst = new byte[4];
        assertEquals(2, pipe.read(dst, 0, 4, null, true, new boolean[1]));
        assertArrayEquals(new byte[] {7, 8, 0, 0}, dst);
        assertEquals(-1, pipe.read(dst, 0, 4, null, true, new boolean[1]));

        StreamPipe reset = new StreamPipe(1000, 64);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                reset.read(new byte[4], 0, 4, null, true, new boolean[1]);
                seen.complete(null);
            } catch (IOException e) {
                seen.complete(e);
            }
        });
        Thread.sleep(50);
        reset.failReceive(new StreamResetException("blob/1", 42, true));
        StreamResetException e = (StreamResetException) seen.get(5, TimeUnit.SECONDS);
        assertEquals(42, e.errorCode());
        reader.join();
    }

    @Test
    void eachDeliveredBufferIsReleasedOnceWhenReadToItsEnd() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 1000);
        ByteBuf a = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {4, 5});
        pipe.deliver(List.of(a, b), true, false, true);
        byte[] dst = new byte[2];
        assertEquals(2, pipe.read(dst, 0, 2, null, true, new boolean[1]));
        assertEquals(1, a.refCnt(), "a partly read buffer stays held");
        ByteBuffer rest = ByteBuffer.allocate(8);
        assertEquals(3, pipe.read(null, 0, 8, rest, true, new boolean[1]));
        assertEquals(0, a.refCnt(), "read to its end: released");
        assertEquals(0, b.refCnt());
        assertArrayEquals(new byte[] {3, 4, 5}, java.util.Arrays.copyOf(rest.array(), 3));
        assertEquals(8, rest.limit(), "the reader's limit is restored");
        assertEquals(-1, pipe.read(dst, 0, 2, null, true, new boolean[1]));
    }

    @Test
    void closingTheReaderOrFailingReleasesQueuedBuffers() {
        StreamPipe closed = new StreamPipe(1000, 1000);
        ByteBuf a = Unpooled.wrappedBuffer(new byte[10]);
        closed.deliver(List.of(a), false, false, true);
        assertTrue(closed.closeReader(), "closed before the end");
        assertEquals(0, a.refCnt());
        ByteBuf late = Unpooled.wrappedBuffer(new byte[10]);
        closed.deliver(List.of(late), false, false, true);
        assertEquals(0, late.refCnt(), "delivered after the reader closed: released at once");

        StreamPipe failed = new StreamPipe(1000, 1000);
        ByteBuf b = Unpooled.wrappedBuffer(new byte[10]);
        failed.deliver(List.of(b), false, false, true);
        failed.failReceive(new StreamResetException("blob/2", 7, true));
        assertEquals(0, b.refCnt());
        assertEquals(0, failed.queuedForReader());
        ByteBuf after = Unpooled.wrappedBuffer(new byte[10]);
        failed.deliver(List.of(after), false, false, true);
        assertEquals(0, after.refCnt(), "delivered after a failure: released at once");
    }

    /**
     * A readable listener instead of a blocked reader: it runs once at registration, again after each delivery, at
     * the end and on failure, never two runs at once, and a delivery during a run is followed by another run, so
     * polling until 0 misses nothing.
     */
    @Test
    void aReadableListenerRunsAfterEveryChangeOneRunAtATime() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 1 << 20);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch inFirstDataRun = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            assertFalse(pipe.hasReadableListener());
            pipe.onReadable(() -> {
                if (running.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                runs.incrementAndGet();
                try {
                    ByteBuffer dst = ByteBuffer.allocate(3);
                    while (true) {
                        int n = pipe.read(null, 0, dst.remaining(), dst, false, new boolean[1]);
                        if (n < 0) {
                            ended.complete(true);
                            break;
                        }
                        got.write(dst.array(), 0, dst.position());
                        dst.clear();
                        if (n == 0) {
                            break;
                        }
                        if (got.size() == 4 && inFirstDataRun.getCount() > 0) {
                            // Hold this run while the loop delivers more: that delivery must make another run.
                            inFirstDataRun.countDown();
                            release.await();
                        }
                    }
                } catch (Exception e) {
                    ended.completeExceptionally(e);
                } finally {
                    running.decrementAndGet();
                }
            }, executor);
            assertTrue(pipe.hasReadableListener());
            assertThrows(IllegalStateException.class, () -> pipe.onReadable(() -> { }, executor));
            pipe.deliver(List.of(buf(1, 2, 3, 4)), false, false, true);
            assertTrue(inFirstDataRun.await(5, TimeUnit.SECONDS));
            pipe.deliver(List.of(buf(5, 6)), false, false, true);
            pipe.deliver(List.of(buf(7)), true, false, true);
            release.countDown();
            assertTrue(ended.get(5, TimeUnit.SECONDS), "the listener saw the end");
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, got.toByteArray());
        assertFalse(overlapped.get(), "two runs overlapped");
        assertTrue(runs.get() >= 2, "a delivery during a run makes another run, runs " + runs.get());
    }

    @Test
    void aReadableListenerHearsOfAFailure() throws Exception {
        StreamPipe pipe = new StreamPipe(1000, 1 << 20);
        CompletableFuture<IOException> failure = new CompletableFuture<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            pipe.onReadable(() -> {
                try {
                    pipe.read(null, 0, 1, ByteBuffer.allocate(1), false, new boolean[1]);
                } catch (IOException e) {
                    failure.complete(e);
                }
            }, executor);
            pipe.failReceive(new StreamResetException("test stream", 9, true));
            assertTrue(failure.get(5, TimeUnit.SECONDS) instanceof StreamResetException);
        }
    }

    private static ByteBuf buf(int... bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length);
        for (int v : bytes) {
            b.writeByte(v);
        }
        return b;
    }
}
