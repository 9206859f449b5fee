package dev.quiver.transport.quic;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read contract of {@link BurstReader} and {@link ReadBurstGate} on {@link EmbeddedChannel}s (an extra beside
 * the session and blob ITs, which move every stream byte through them over real QUIC): who may start a read of
 * the stream, when the gate starts one, and when the receive handle keeps reading.
 */
@Timeout(10)
class BurstReaderTest {
    private ReadBurstGate gate;
    private EmbeddedChannel socket;
    private EmbeddedChannel stream;
    private ReadCounter reads;
    private BurstReader reader;
    private ChannelHandlerContext upper;

    @BeforeEach
    void setUp() {
        gate = new ReadBurstGate();
        socket = new EmbeddedChannel(gate);
        reads = new ReadCounter();
        reader = new BurstReader(gate);
        stream = new EmbeddedChannel(reads, reader, new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                upper = ctx;
            }
        });
    }

    @AfterEach
    void tearDown() {
        stream.finishAndReleaseAll();
        socket.finishAndReleaseAll();
    }

    @Test
    void theStreamRunsWithoutAutoReadAndIsArmedOnceActive() {
        assertFalse(stream.config().isAutoRead());
        assertSame(DrainingRecvAllocator.INSTANCE, stream.config().getRecvByteBufAllocator());
        assertEquals(1, reads.count, "one read pending from channelActive: the first data is read at once");
    }

    @Test
    void readsAskedForAboveAreDropped() {
        upper.read();
        upper.read();
        stream.read();
        assertEquals(1, reads.count);
    }

    @Test
    void aStreamThatReceivedIsReadOnceWhenTheBurstEnds() {
        stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
        assertEquals(1, reads.count, "packets inside a burst start no read");
        socket.pipeline().fireChannelReadComplete();
        assertEquals(2, reads.count, "one drain for the burst, however many reads it had");
        socket.pipeline().fireChannelReadComplete();
        assertEquals(2, reads.count, "a drain that brought nothing leaves the stream armed, not due");
    }

    @Test
    void aStreamReadAtEveryPacketIsReadAgainAfterEachReadAndNeverWaitsForTheBurst() {
        reader.readEveryPacket();
        stream.runPendingTasks();
        stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {1})); // a read and its read-complete
        assertEquals(2, reads.count, "pending again right after the read");
        stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
        assertEquals(3, reads.count);
        socket.pipeline().fireChannelReadComplete();
        assertEquals(3, reads.count, "not due at the burst end");
    }

    @Test
    void aClosedStreamIsNotDrained() {
        stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        stream.close();
        int before = reads.count;
        socket.pipeline().fireChannelReadComplete();
        assertEquals(before, reads.count);
    }

    @Test
    @SuppressWarnings("deprecation")
    void theHandleKeepsReadingOnlyWhileBuffersComeBackFull() {
        RecvByteBufAllocator.Handle handle = DrainingRecvAllocator.INSTANCE.newHandle();
        handle.reset(stream.config());
        var buf = handle.allocate(ByteBufAllocator.DEFAULT);
        try {
            assertEquals(DrainingRecvAllocator.BUFFER_BYTES, buf.writableBytes());
        } finally {
            buf.release();
        }
        handle.attemptedBytesRead(DrainingRecvAllocator.BUFFER_BYTES);
        handle.lastBytesRead(DrainingRecvAllocator.BUFFER_BYTES);
        assertTrue(handle.continueReading(), "a full buffer: quiche may hold more");
        handle.lastBytesRead(100);
        assertFalse(handle.continueReading(), "a partial buffer: quiche is drained");
        handle.lastBytesRead(0);
        assertFalse(handle.continueReading());
    }

    /** Counts the reads that reach the channel (below the burst reader). */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }
}
