package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.frame.StreamOpen;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamHeader;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.WireWriter;
import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.quic.QuicConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A direct QUIC connection used as a path. Each logical stream gets one bidirectional QUIC stream on it (opened by
 * whichever side opened the logical stream); each direction of every QUIC stream starts with the 8-byte
 * {@link StreamHeader}. The session's control stream is the QUIC stream the dialer opens first.
 *
 * <p>Ordering between logical streams is the fair scheduler's: this path takes only {@code inflightLimitBytes}
 * unacknowledged bytes, so little waits inside quiche, and quiche's own stream priorities (RFC 9218 urgency)
 * mirror the scheduling classes so control and interactive bytes overtake queued bulk bytes.
 *
 * <p>Thread: owned by the connection's event loop.
 */
final class QuicPath implements Path {
    private static final Logger LOG = LoggerFactory.getLogger(QuicPath.class);

    /** RFC 9218 urgency per scheduling class (lower is served first); the control stream is most urgent. */
    private static final QuicStreamPriority CONTROL_PRIORITY = new QuicStreamPriority(0, false);

    private final int id;
    private final QuicConnection connection;
    private final Session session;
    private final ByteBufAllocator alloc;
    private final int inflightLimitBytes;
    private final Map<StreamId, DataChannel> data = new HashMap<>();
    private final List<DataChannel> dirty = new ArrayList<>();
    private final ArrayDeque<ByteBuf> pendingControl = new ArrayDeque<>();
    private QuicStreamChannel control;
    private boolean controlDirty;
    private long inflightBytes;

    /** One QUIC stream carrying a logical stream on this path, and whether our direction's header is out. */
    private static final class DataChannel {
        final QuicStreamChannel channel;
        boolean headerSent;
        boolean dirty;

        DataChannel(QuicStreamChannel channel, boolean headerSent) {
            this.channel = channel;
            this.headerSent = headerSent;
        }
    }

    QuicPath(int id, QuicConnection connection, Session session, int inflightLimitBytes) {
        this.id = id;
        this.connection = connection;
        this.session = session;
        this.alloc = connection.channel().alloc();
        this.inflightLimitBytes = inflightLimitBytes;
    }

    @Override
    public int id() {
        return id;
    }

    QuicConnection connection() {
        return connection;
    }

    @Override
    public boolean isActive() {
        return connection.isActive();
    }

    @Override
    public int budgetBytes() {
        return (int) Math.max(0, inflightLimitBytes - inflightBytes);
    }

    @Override
    public void release(long bytes) {
        inflightBytes = Math.max(0, inflightBytes - bytes);
    }

    /** Dialer: opens the control stream; frames written before it exists wait in order. */
    void openControl() {
        connection.openStream(new FrameReader(session, this)).whenComplete((ch, e) -> {
            if (e != null) {
                session.fail(new IllegalStateException("cannot open the control stream: " + e.getMessage(), e));
                return;
            }
            bindControl(ch);
        });
    }

    /** The control stream exists (opened by us, or the peer's arrived): write our header and what waited. */
    void bindControl(QuicStreamChannel ch) {
        control = ch;
        ch.updatePriority(CONTROL_PRIORITY);
        ch.write(header(StreamId.control()), ch.voidPromise());
        while (!pendingControl.isEmpty()) {
            ch.write(pendingControl.poll(), ch.voidPromise());
        }
        ch.flush();
    }

    boolean hasControl() {
        return control != null;
    }

    @Override
    public void writeControl(Frame frame) {
        ByteBuf buf = encode(frame);
        if (control == null) {
            pendingControl.add(buf);
            return;
        }
        control.write(buf, control.voidPromise());
        controlDirty = true;
    }

    @Override
    public void openData(StreamState stream, StreamOpen open, Runnable ready) {
        connection.openStream(new FrameReader(session, this)).whenComplete((ch, e) -> {
            if (e != null) {
                session.onDataOpenFailed(stream, e);
                return;
            }
            ch.updatePriority(priorityOf(stream.priority()));
            ch.write(header(stream.id()), ch.voidPromise());
            writeFrame(ch, open);
            ch.flush();
            data.put(stream.id(), new DataChannel(ch, true));
            ready.run();
        });
    }

    /** The peer opened {@code ch} for logical stream {@code id}: our direction of it carries our bytes. */
    void bindPeerData(StreamId id, QuicStreamChannel ch) {
        data.putIfAbsent(id, new DataChannel(ch, false));
    }

    /** Applies the scheduling class of a peer-opened stream to its QUIC stream (our direction). */
    void prioritize(StreamId id, PriorityClass priority) {
        DataChannel dc = data.get(id);
        if (dc != null) {
            dc.channel.updatePriority(priorityOf(priority));
        }
    }

    @Override
    public boolean hasData(StreamId id) {
        return data.containsKey(id);
    }

    @Override
    public void writeData(StreamState stream, long offset, byte[] src, int srcIndex, int length, boolean fin) {
        DataChannel dc = data.get(stream.id());
        if (dc == null) {
            throw new IllegalStateException("no QUIC stream for " + stream.id() + " on path " + id);
        }
        if (!dc.headerSent) {
            dc.channel.write(header(stream.id()), dc.channel.voidPromise());
            dc.headerSent = true;
        }
        int head = StreamData.headerLength(offset, length);
        // One direct buffer per frame: quiche reads direct memory only, so Netty would copy a heap payload into a
        // direct buffer anyway; copying it here once, right after the header, halves the channel writes.
        ByteBuf buf = alloc.directBuffer(head + length);
        StreamData.encodeHeader(new WireWriter(buf.nioBuffer(0, head)), stream.id(), offset, fin, length);
        buf.writerIndex(head);
        buf.writeBytes(src, srcIndex, length);
        dc.channel.write(buf, dc.channel.voidPromise());
        inflightBytes += length + (fin ? 1 : 0);
        if (!dc.dirty) {
            dc.dirty = true;
            dirty.add(dc);
        }
    }

    @Override
    public void closeData(StreamId id) {
        DataChannel dc = data.remove(id);
        if (dc != null && dc.channel.isActive()) {
            // A plain QUIC FIN (not RESET_STREAM): every byte of ours was acknowledged at session level already.
            dc.channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("FIN on {} failed: {}", id, f.cause().toString());
                }
            });
        }
    }

    @Override
    public void flush() {
        for (DataChannel dc : dirty) {
            dc.dirty = false;
            dc.channel.flush();
        }
        dirty.clear();
        if (controlDirty) {
            controlDirty = false;
            control.flush();
        }
    }

    @Override
    public CompletableFuture<ConnectionStats> stats() {
        return connection.stats();
    }

    @Override
    public void close(long errorCode, String reason) {
        if (connection.isActive()) {
            flush();
            connection.close((int) Math.min(errorCode, Integer.MAX_VALUE), reason);
        }
        pendingControl.forEach(ByteBuf::release);
        pendingControl.clear();
    }

    private void writeFrame(QuicStreamChannel ch, Frame frame) {
        ch.write(encode(frame), ch.voidPromise());
    }

    private ByteBuf encode(Frame frame) {
        int len = FrameCodec.encodedLength(frame);
        ByteBuf buf = alloc.ioBuffer(len);
        FrameCodec.encode(frame, buf.nioBuffer(0, len));
        buf.writerIndex(len);
        return buf;
    }

    private ByteBuf header(StreamId streamId) {
        ByteBuf buf = alloc.ioBuffer(StreamHeader.LENGTH);
        ByteBuffer nio = buf.nioBuffer(0, StreamHeader.LENGTH);
        StreamHeader.encode(streamId, nio);
        buf.writerIndex(StreamHeader.LENGTH);
        return buf;
    }

    private static QuicStreamPriority priorityOf(PriorityClass priority) {
        return switch (priority) {
            case CONTROL -> new QuicStreamPriority(1, false);
            case INTERACTIVE -> new QuicStreamPriority(2, false);
            case BULK -> new QuicStreamPriority(4, true);
        };
    }

    @Override
    public String toString() {
        return "path " + id + " " + connection;
    }
}
