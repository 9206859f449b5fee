package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.stream.StreamKind;
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
 * session as they complete. On a data stream a StreamData frame whose header has arrived but not all of its payload
 * is handed over in pieces as the payload arrives (each piece a StreamData at its own offset, the FIN on the last),
 * so the payload is never copied into a cumulation buffer to wait for the frame's end; StreamData headers are
 * parsed straight from the buffer (the frame codec decodes the other frames).
 * A StreamData payload goes to the session as an index range of the cumulation buffer: the reassembly retains
 * slices of it (no copy), the reference handed to this decoder stays the decoder's. The last piece of a frame tells the session whether the frame's end is a
 * push point (a frame without the {@code more} hint), where the reader wakes. The frame codec refuses an oversized or unknown frame from its first bytes, so the
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
    /** Payload bytes still to come of the StreamData frame being streamed (0: between frames). */
    private int pendingPayload;
    private long pendingOffset;
    private boolean pendingFin;
    /** The frame being streamed has the {@code more} hint: its end is no wake-up point for the reader. */
    private boolean pendingMore;
    private final StreamDataHeader header = new StreamDataHeader();

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
            while (!failed && in.isReadable()) {
                if (pendingPayload > 0) {
                    streamPiece(in);
                    continue;
                }
                if (id.kind() != StreamKind.CONTROL && StreamDataHeader.isStreamData(in.getUnsignedByte(in.readerIndex()))) {
                    if (!startStreaming(in)) {
                        break;
                    }
                    continue;
                }
                ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
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

    /** Hands the payload bytes at hand of the frame being streamed to the session as one piece. */
    private void streamPiece(ByteBuf in) throws ProtocolException {
        int n = Math.min(pendingPayload, in.readableBytes());
        pendingPayload -= n;
        long offset = pendingOffset;
        pendingOffset += n;
        session.onStreamData(path, id, offset, in, in.readerIndex(), n, pendingFin && pendingPayload == 0,
                pendingPayload == 0 && !pendingMore);
        in.skipBytes(n);
    }

    /**
     * {@code in} starts with a StreamData frame. If its fields before the payload are all here, consumes them and
     * starts streaming the payload, which then goes to the session piece by piece as it arrives.
     *
     * @return false when more bytes are needed (nothing consumed)
     */
    private boolean startStreaming(ByteBuf in) throws ProtocolException {
        if (!header.parse(in, id, session.codec().limits().maxPayloadBytes())) {
            return false;
        }
        pendingOffset = header.offset;
        pendingFin = header.fin;
        pendingMore = header.more;
        if (header.payloadBytes == 0) {
            session.onStreamData(path, id, header.offset, in, in.readerIndex(), 0, header.fin, true); // a lone FIN
        } else {
            pendingPayload = header.payloadBytes;
        }
        return true;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!failed && (in.isReadable() || pendingPayload > 0)) {
            // The peer ended its direction in the middle of a header or frame.
            failed = true;
            int left = in.readableBytes() + pendingPayload;
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
