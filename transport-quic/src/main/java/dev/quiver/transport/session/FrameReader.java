package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.FrameType;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.codec.stream.StreamHeader;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
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
 * so the payload is never copied into a cumulation buffer to wait for the frame's end.
 * A StreamData payload goes to the session as an index range of the cumulation buffer: the reassembly retains
 * slices of it (no copy), the reference handed to this decoder stays the decoder's. The frame codec refuses an oversized or unknown frame from its first bytes, so the
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
                ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
                int start = nio.position();
                Frame frame = session.codec().tryDecode(nio);
                if (frame instanceof StreamData data && id.kind() != StreamKind.CONTROL) {
                    // The payload is the frame's last field: it ends where the frame does.
                    int frameEnd = in.readerIndex() + nio.position() - start;
                    checkCarrier(data.id());
                    session.onStreamData(id, data.offset(), in, frameEnd - data.length(), data.length(), data.fin());
                    in.readerIndex(frameEnd);
                } else if (frame != null) {
                    in.skipBytes(nio.position() - start);
                    session.onFrame(path, id, frame);
                } else if (id.kind() == StreamKind.CONTROL || !startStreaming(in)) {
                    break;
                }
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
        session.onStreamData(id, offset, in, in.readerIndex(), n, pendingFin && pendingPayload == 0);
        in.skipBytes(n);
    }

    private void checkCarrier(StreamId frameId) throws ProtocolException {
        if (!frameId.equals(id)) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamData for " + frameId + " on the QUIC stream of " + id);
        }
    }

    /**
     * {@code in} starts with an incomplete frame (the codec has checked its type and length cap). If it is a
     * StreamData whose fields before the payload are all here, consumes them and starts streaming its payload.
     */
    private boolean startStreaming(ByteBuf in) throws ProtocolException {
        int type = in.getUnsignedByte(in.readerIndex());
        if (type != FrameType.STREAM_DATA && type != FrameType.STREAM_DATA_FIN) {
            return false;
        }
        ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
        int start = nio.position();
        WireReader r = new WireReader(nio);
        r.readVarint("frame type");
        if (!nio.hasRemaining() || nio.remaining() < Varint.lengthFromFirstByte(nio.get(nio.position()) & 0xFF)) {
            return false;
        }
        long bodyLen = r.readVarint("frame length"); // the codec has capped it already
        if (nio.remaining() < 8 + 1 || nio.remaining() < 8 + Varint.lengthFromFirstByte(
                nio.get(nio.position() + 8) & 0xFF)) {
            return false;
        }
        StreamId frameId = StreamId.of(r.readLong("stream id"));
        long offset = r.readVarint("offset");
        long payload = bodyLen - 8 - Varint.length(offset);
        checkCarrier(frameId);
        if (payload < 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "StreamData length " + bodyLen + " shorter than its fields");
        }
        if (payload > session.codec().limits().maxPayloadBytes()) {
            throw new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
                    "payload " + payload + " exceeds " + session.codec().limits().maxPayloadBytes());
        }
        if (payload > Varint.MAX_VALUE - offset) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "offset " + offset + " + length " + payload + " exceeds 2^62 - 1");
        }
        in.skipBytes(nio.position() - start);
        pendingPayload = (int) payload;
        pendingOffset = offset;
        pendingFin = type == FrameType.STREAM_DATA_FIN;
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
