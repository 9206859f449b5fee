package dev.quiver.transport.quic;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When {@link AckCoalescer} lets the codec answer, on an {@link EmbeddedChannel} with a fake clock (an extra beside
 * the session and blob ITs, whose every packet passes through it over real QUIC): at once for anything that is
 * not bulk data, after {@value AckCoalescer#ANSWER_BYTES} bytes of bulk data, and otherwise after the hold.
 */
@Timeout(10)
class AckCoalescerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4433);
    private static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 4434);
    private static final int FULL = 16_383;

    private EmbeddedChannel socket;
    private CodecProbe codec;

    @BeforeEach
    void setUp() {
        codec = new CodecProbe();
        socket = new EmbeddedChannel(new AckCoalescer(), codec);
        socket.freezeTime(); // the hold ends only when a test advances the clock
    }

    @AfterEach
    void tearDown() {
        socket.finishAndReleaseAll();
    }

    @Test
    void aSmallDatagramIsAnsweredAtOnce() {
        burst(datagram(60));
        assertEquals(1, codec.readCompletes, "an ACK or a short message must not wait");
    }

    @Test
    void bulkDataBelowTheThresholdIsHeldThenAnsweredAfterTheHold() {
        burst(datagram(FULL), datagram(FULL));
        assertEquals(2, codec.reads, "every packet reaches the codec at once");
        assertEquals(0, codec.readCompletes, "32 KB of bulk data: the answer waits for more");

        socket.advanceTimeBy(AckCoalescer.HOLD_MICROS - 1, TimeUnit.MICROSECONDS);
        socket.runScheduledPendingTasks();
        assertEquals(0, codec.readCompletes);
        socket.advanceTimeBy(1, TimeUnit.MICROSECONDS);
        socket.runScheduledPendingTasks();
        assertEquals(1, codec.readCompletes, "answered when the hold ends");
    }

    @Test
    void bulkDataReachingTheThresholdIsAnsweredAtOnceAndTheHoldThenFindsNothing() {
        int packets = (AckCoalescer.ANSWER_BYTES + FULL - 1) / FULL;
        for (int i = 0; i < packets - 1; i++) {
            burst(datagram(FULL));
        }
        assertEquals(0, codec.readCompletes, "one full packet short of the threshold");
        burst(datagram(FULL));
        assertEquals(1, codec.readCompletes, "answered with the packet that reaches it");

        socket.advanceTimeBy(AckCoalescer.HOLD_MICROS, TimeUnit.MICROSECONDS);
        socket.runScheduledPendingTasks();
        assertEquals(1, codec.readCompletes, "the hold armed by the first burst has nothing left to answer");

        burst(datagram(FULL));
        assertEquals(1, codec.readCompletes, "the count starts again after an answer");
    }

    @Test
    void dataToSendEndsTheHoldAtOnce() {
        AckCoalescer coalescer = socket.pipeline().get(AckCoalescer.class);
        coalescer.sendNow();
        assertEquals(0, codec.readCompletes, "nothing held: nothing to answer");

        burst(datagram(FULL));
        coalescer.sendNow();
        assertEquals(1, codec.readCompletes, "a reply does not wait for the hold");
    }

    @Test
    void dataToSendDuringABurstIsAnsweredWhenTheBurstEnds() {
        AckCoalescer coalescer = socket.pipeline().get(AckCoalescer.class);
        socket.pipeline().fireChannelRead(datagram(FULL));
        coalescer.sendNow();
        assertEquals(0, codec.readCompletes, "not inside the codec's read");
        socket.pipeline().fireChannelReadComplete();
        assertEquals(1, codec.readCompletes);
    }

    @Test
    void aSmallPacketAmongBulkDataIsAnsweredAtOnce() {
        burst(datagram(FULL), datagram(90));
        assertEquals(1, codec.readCompletes);
    }

    @Test
    void aReceiveOffloadBatchIsJudgedByItsSegmentSize() {
        burst(batch(FULL, 2));
        assertEquals(0, codec.readCompletes, "a batch of two full packets is bulk data below the threshold");
        burst(batch(1200, 3));
        assertEquals(1, codec.readCompletes, "1200-byte packets are not bulk data on a jumbo path");
    }

    @Test
    void aReadCompleteWithNothingReadPassesAtOnce() {
        socket.pipeline().fireChannelReadComplete();
        assertEquals(1, codec.readCompletes);
    }

    private void burst(Object... datagrams) {
        for (Object d : datagrams) {
            socket.pipeline().fireChannelRead(d);
        }
        socket.pipeline().fireChannelReadComplete();
    }

    private static DatagramPacket datagram(int bytes) {
        return new DatagramPacket(Unpooled.wrappedBuffer(new byte[bytes]), SELF, PEER);
    }

    private static SegmentedDatagramPacket batch(int segmentBytes, int segments) {
        return new SegmentedDatagramPacket(Unpooled.wrappedBuffer(new byte[segmentBytes * segments]), segmentBytes,
                SELF, PEER);
    }

    /** Stands in for the codec: counts what reaches it. */
    private static final class CodecProbe extends ChannelInboundHandlerAdapter {
        int reads;
        int readCompletes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads++;
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes++;
        }
    }
}
