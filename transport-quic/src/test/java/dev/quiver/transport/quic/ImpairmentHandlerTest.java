package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The impairment handler on an embedded channel with a frozen, manually advanced clock. */
@Timeout(10)
class ImpairmentHandlerTest {
    private static final InetSocketAddress PEER_A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4001);
    private static final InetSocketAddress PEER_B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4002);

    private static EmbeddedChannel channel(ImpairmentPlan plan) {
        EmbeddedChannel channel = new EmbeddedChannel(new ImpairmentHandler(plan));
        channel.freezeTime();
        return channel;
    }

    private static DatagramPacket numbered(int n, InetSocketAddress peer) {
        return new DatagramPacket(Unpooled.buffer(4).writeInt(n), peer);
    }

    /** Sequence numbers of the packets the channel wrote to the socket side, in order. */
    private static List<Integer> written(EmbeddedChannel channel) {
        List<Integer> numbers = new ArrayList<>();
        for (DatagramPacket p; (p = channel.readOutbound()) != null; ) {
            numbers.add(p.content().getInt(p.content().readerIndex()));
            p.release();
        }
        return numbers;
    }

    private static List<Integer> sendNumbered(ImpairmentPlan plan, int count) {
        EmbeddedChannel channel = channel(plan);
        for (int i = 0; i < count; i++) {
            channel.writeAndFlush(numbered(i, PEER_A));
        }
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        List<Integer> out = written(channel);
        channel.finishAndReleaseAll();
        return out;
    }

    @Test
    void dropsAboutTheRatioAndRepeatsWithTheSameSeed() {
        int count = 20_000;
        ImpairmentPlan plan = ImpairmentPlan.seeded(7).add(ImpairmentPlan.Match.all(), Impairment.loss(0.02));
        List<Integer> first = sendNumbered(plan, count);
        int dropped = count - first.size();
        assertTrue(dropped > 300 && dropped < 500, "2 % of 20000 dropped, got " + dropped);
        assertEquals(new ImpairmentPlan.Stats(count, dropped, 0, 0), plan.stats());
        // Loss alone keeps order.
        assertEquals(first.stream().sorted().toList(), first);

        List<Integer> again = sendNumbered(ImpairmentPlan.seeded(7)
                .add(ImpairmentPlan.Match.all(), Impairment.loss(0.02)), count);
        assertEquals(first, again, "same seed, same fate");
        List<Integer> other = sendNumbered(ImpairmentPlan.seeded(8)
                .add(ImpairmentPlan.Match.all(), Impairment.loss(0.02)), count);
        assertNotEquals(first, other);
    }

    @Test
    void splitsGsoBatchesIntoPacketsThatEachMeetTheirFate() {
        ImpairmentPlan plan = ImpairmentPlan.seeded(3).add(ImpairmentPlan.Match.all(), Impairment.loss(0.5));
        EmbeddedChannel channel = channel(plan);
        int segment = 100;
        byte[] payload = new byte[segment * 9 + 37];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i / segment);
        }
        ByteBuf batch = Unpooled.wrappedBuffer(payload);
        channel.writeAndFlush(new SegmentedDatagramPacket(batch, segment, PEER_A));
        List<DatagramPacket> out = new ArrayList<>();
        for (DatagramPacket p; (p = channel.readOutbound()) != null; ) {
            out.add(p);
        }
        assertEquals(10, plan.stats().packets(), "nine full segments and a short last one");
        assertEquals(10 - plan.stats().dropped(), out.size());
        assertTrue(plan.stats().dropped() > 0 && plan.stats().dropped() < 10, plan.stats().toString());
        int previous = -1;
        for (DatagramPacket p : out) {
            int index = p.content().getByte(0);
            assertTrue(index > previous);
            previous = index;
            int expected = index == 9 ? 37 : segment;
            assertEquals(expected, p.content().readableBytes());
            byte[] bytes = new byte[expected];
            p.content().getBytes(0, bytes);
            byte[] want = new byte[expected];
            java.util.Arrays.fill(want, (byte) index);
            assertArrayEquals(want, bytes);
            assertEquals(PEER_A, p.recipient());
            p.release();
        }
        assertEquals(0, batch.refCnt(), "the batch buffer is released once its slices are");
        channel.finishAndReleaseAll();
    }

    @Test
    void delayAndJitterHoldPacketsButKeepTheirOrder() {
        ImpairmentPlan plan = ImpairmentPlan.seeded(5).add(ImpairmentPlan.Match.all(),
                Impairment.NONE.withDelay(Duration.ofMillis(10), Duration.ofMillis(5)));
        EmbeddedChannel channel = channel(plan);
        for (int i = 0; i < 200; i++) {
            channel.writeAndFlush(numbered(i, PEER_A));
        }
        channel.advanceTimeBy(9, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "nothing before the fixed delay");
        channel.advanceTimeBy(7, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        List<Integer> out = written(channel);
        assertEquals(200, out.size());
        assertEquals(out.stream().sorted().toList(), out, "jitter never reorders");
        assertEquals(200, plan.stats().delayed());
        channel.finishAndReleaseAll();
    }

    @Test
    void reorderingLetsLaterPacketsOvertake() {
        ImpairmentPlan plan = ImpairmentPlan.seeded(11).add(ImpairmentPlan.Match.all(),
                Impairment.NONE.withReorder(0.1, Duration.ofMillis(3)));
        EmbeddedChannel channel = channel(plan);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            channel.writeAndFlush(numbered(i, PEER_A));
            channel.advanceTimeBy(100, TimeUnit.MICROSECONDS);
            channel.runScheduledPendingTasks();
            out.addAll(written(channel));
        }
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        out.addAll(written(channel));
        assertEquals(1000, out.size(), "reordering loses nothing");
        assertEquals(java.util.stream.IntStream.range(0, 1000).boxed().toList(), out.stream().sorted().toList());
        long inversions = java.util.stream.IntStream.range(1, out.size())
                .filter(i -> out.get(i) < out.get(i - 1)).count();
        long held = plan.stats().reordered();
        assertTrue(held > 50 && held < 150, "about 10 % held back: " + held);
        assertTrue(inversions >= held / 2, "held packets arrive after later ones: " + inversions);
        channel.finishAndReleaseAll();
    }

    @Test
    void rulesSelectByRemoteAddressAndDirection() {
        ImpairmentPlan plan = ImpairmentPlan.seeded(1)
                .add(ImpairmentPlan.Match.remote(PEER_B).direction(ImpairmentPlan.Direction.INBOUND),
                        Impairment.loss(1));
        EmbeddedChannel channel = channel(plan);
        SegmentedDatagramPacket batch = new SegmentedDatagramPacket(Unpooled.wrappedBuffer(new byte[300]), 100,
                PEER_B);
        channel.writeAndFlush(batch);
        assertSame(batch, channel.readOutbound(), "outbound to B is not matched: the batch passes intact");
        batch.release();

        channel.writeInbound(new DatagramPacket(Unpooled.buffer(1).writeByte(1), null, PEER_A));
        DatagramPacket fromA = channel.readInbound();
        assertEquals(1, fromA.content().readByte());
        fromA.release();
        channel.writeInbound(new DatagramPacket(Unpooled.buffer(1).writeByte(2), null, PEER_B));
        assertNull(channel.readInbound(), "inbound from B is dropped");
        assertEquals(new ImpairmentPlan.Stats(1, 1, 0, 0), plan.stats());

        plan.clear();
        channel.writeInbound(new DatagramPacket(Unpooled.buffer(1).writeByte(3), null, PEER_B));
        DatagramPacket after = channel.readInbound();
        assertEquals(3, after.content().readByte());
        after.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void delayedInboundPacketsEndTheirReadBurst() {
        ImpairmentPlan plan = ImpairmentPlan.seeded(2).add(ImpairmentPlan.Match.all(),
                Impairment.NONE.withDelay(Duration.ofMillis(2), Duration.ZERO));
        List<String> events = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ImpairmentHandler(plan),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        events.add("read");
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void channelReadComplete(io.netty.channel.ChannelHandlerContext ctx) {
                        events.add("complete");
                    }
                });
        channel.freezeTime();
        channel.writeInbound(new DatagramPacket(Unpooled.buffer(1).writeByte(1), null, PEER_A));
        assertTrue(events.stream().noneMatch("read"::equals), events.toString());
        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("read", events.get(events.size() - 2));
        assertEquals("complete", events.getLast(), "the codec flushes its answers on read-complete");
        channel.finishAndReleaseAll();
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Impairment.loss(1.5));
        assertThrows(IllegalArgumentException.class, () -> Impairment.loss(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Impairment.NONE.withReorder(0.1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> Impairment.NONE.withDelay(Duration.ofMillis(-1), Duration.ZERO));
        assertTrue(Impairment.NONE.isNone());
    }
}
