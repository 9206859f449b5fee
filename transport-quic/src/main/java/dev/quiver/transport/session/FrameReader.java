package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.stream.StreamHeader;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads one direction of a QUIC stream: the 8-byte {@link StreamHeader}, then frames, which it hands to the
 * session as they complete. The session consumes a StreamData payload before this returns (it points into the
 * cumulation buffer). The frame codec refuses an oversized or unknown frame from its first bytes, so the
 * cumulation never holds more than one capped frame. After a protocol error the rest of the stream is dropped;
 * the session closes the connection.
 *
 * <p>Thread: the connection's event loop.
 */
final class FrameReader extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameReader.class);

    private final Session session;
    private final QuicPath path;
    private StreamId id;
    private boolean failed;

    FrameReader(Session session, QuicPath path) {
        this.session = session;
        this.path = path;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The peer's FIN ends only its direction; ours may still have bytes to send (and to FIN) on this stream.
        ((QuicStreamChannel) ctx.channel()).config().setAllowHalfClosure(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (id == null) {
                if (in.readableBytes() < StreamHeader.LENGTH) {
                    return;
                }
                id = StreamHeader.decode(in.nioBuffer(in.readerIndex(), StreamHeader.LENGTH));
                in.skipBytes(StreamHeader.LENGTH);
                session.onStreamHeader(path, (QuicStreamChannel) ctx.channel(), id);
            }
            ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
            while (!failed && nio.hasRemaining()) {
                int start = nio.position();
                Frame frame = session.codec().tryDecode(nio);
                if (frame == null) {
                    break;
                }
                in.skipBytes(nio.position() - start);
                session.onFrame(path, id, frame);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            session.protocolError(e);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!failed && in.isReadable()) {
            // The peer ended its direction in the middle of a header or frame.
            failed = true;
            int left = in.readableBytes();
            in.skipBytes(left);
            session.protocolError(new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "QUIC stream of " + id + " ended inside a frame (" + left + " bytes left over)"));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        session.afterRead();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A QUIC-level stream error (the peer reset or stopped it) says nothing the session frames did not.
        LOG.debug("QUIC stream {} of {}: {}", id, path, cause.toString());
    }
}
