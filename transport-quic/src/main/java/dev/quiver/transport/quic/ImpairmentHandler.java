package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The in-process impairment layer: sits in a UDP socket's pipeline next to the socket (under the QUIC codec) and
 * applies the {@link ImpairmentPlan}'s first matching rule to every packet, in both directions. A GSO batch the
 * codec writes ({@link SegmentedDatagramPacket}, one buffer of equal-size segments) and a GRO batch the socket
 * reads are split into their packets first, so each QUIC packet meets its own fate; unmatched traffic passes
 * through untouched, batches included.
 *
 * <p>Thread ownership: one instance per socket; its random stream and release clocks belong to the socket's event
 * loop, which also runs the delayed deliveries (scheduled tasks), so no locks are needed.
 */
final class ImpairmentHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ImpairmentHandler.class);

    private final ImpairmentPlan plan;
    private final SplittableRandom random;
    /** Release time of the last in-order packet each way, so delay and jitter never reorder (ticker ns). */
    private long lastInboundReleaseNs = Long.MIN_VALUE;
    private long lastOutboundReleaseNs = Long.MIN_VALUE;

    ImpairmentHandler(ImpairmentPlan plan) {
        this.plan = plan;
        this.random = new SplittableRandom(plan.nextSocketSeed());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Impairment impairment = plan.find(localAddress(ctx), packet.sender(), false);
        if (impairment == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        for (DatagramPacket one : split(packet)) {
            long delayNs = fate(ctx, impairment, false);
            if (delayNs < 0) {
                one.release();
            } else if (delayNs == 0) {
                ctx.fireChannelRead(one);
            } else {
                later(ctx, one, delayNs, () -> {
                    ctx.fireChannelRead(one);
                    // The QUIC codec processes what a read burst brought and flushes its answers here.
                    ctx.fireChannelReadComplete();
                });
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.write(msg, promise);
            return;
        }
        Impairment impairment = plan.find(localAddress(ctx), packet.recipient(), true);
        if (impairment == null) {
            ctx.write(msg, promise);
            return;
        }
        // UDP gives no delivery promise; the write "succeeded" once the packets are in the (impaired) network.
        promise.trySuccess();
        for (DatagramPacket one : split(packet)) {
            long delayNs = fate(ctx, impairment, true);
            if (delayNs < 0) {
                one.release();
            } else if (delayNs == 0) {
                ctx.write(one, ctx.voidPromise());
            } else {
                later(ctx, one, delayNs, () -> ctx.writeAndFlush(one, ctx.voidPromise()));
            }
        }
    }

    /** -1 to drop, 0 to deliver now, else the delay in ns; counts the decision. */
    private long fate(ChannelHandlerContext ctx, Impairment impairment, boolean outbound) {
        plan.countMatched();
        if (impairment.dropRatio() > 0 && random.nextDouble() < impairment.dropRatio()) {
            plan.countDropped();
            return -1;
        }
        long nowNs = ctx.executor().ticker().nanoTime();
        long jitterNs = impairment.jitter().toNanos();
        long releaseNs = nowNs + impairment.delay().toNanos() + (jitterNs > 0 ? random.nextLong(jitterNs + 1) : 0);
        boolean reorder = impairment.reorderRatio() > 0 && random.nextDouble() < impairment.reorderRatio();
        if (reorder) {
            // Held back past the in-order clock: packets released after it overtake it.
            releaseNs += impairment.reorderDelay().toNanos();
            plan.countReordered();
        } else if (outbound) {
            releaseNs = Math.max(releaseNs, lastOutboundReleaseNs);
            lastOutboundReleaseNs = releaseNs;
        } else {
            releaseNs = Math.max(releaseNs, lastInboundReleaseNs);
            lastInboundReleaseNs = releaseNs;
        }
        long delayNs = releaseNs - nowNs;
        if (delayNs <= 0) {
            return 0;
        }
        plan.countDelayed();
        return delayNs;
    }

    private static void later(ChannelHandlerContext ctx, DatagramPacket packet, long delayNs, Runnable delivery) {
        try {
            ctx.executor().schedule(() -> {
                if (ctx.isRemoved() || !ctx.channel().isOpen()) {
                    packet.release();
                    return;
                }
                delivery.run();
            }, delayNs, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Event loop shut down; dropping a held packet");
            packet.release();
        }
    }

    /**
     * The packets of {@code packet}: itself, or for a GSO/GRO batch one packet per segment (the last may be
     * shorter). The batch is released; each returned packet owns a retained slice.
     */
    static List<DatagramPacket> split(DatagramPacket packet) {
        if (!(packet instanceof SegmentedDatagramPacket batch) || batch.segmentSize() <= 0
                || batch.content().readableBytes() <= batch.segmentSize()) {
            return List.of(packet);
        }
        ByteBuf content = batch.content();
        int segment = batch.segmentSize();
        List<DatagramPacket> packets = new ArrayList<>(content.readableBytes() / segment + 1);
        try {
            for (int offset = content.readerIndex(); offset < content.writerIndex(); offset += segment) {
                int length = Math.min(segment, content.writerIndex() - offset);
                packets.add(new DatagramPacket(content.retainedSlice(offset, length), batch.recipient(),
                        batch.sender()));
            }
        } finally {
            ReferenceCountUtil.release(batch);
        }
        return packets;
    }

    private static InetSocketAddress localAddress(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress address ? address : null;
    }
}
