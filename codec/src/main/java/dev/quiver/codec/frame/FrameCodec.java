package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes {@link Frame}s in their envelope (type varint, body length varint, body).
 *
 * <p>Decoding is safe on arbitrary input: the type is checked first (unknown → FRAME_UNKNOWN_TYPE), then the body
 * length against that type's cap from {@link FrameLimits} (→ FRAME_TOO_LARGE) before any byte of the body is
 * awaited or allocated, then the body is parsed from a view bounded to exactly its length and must be consumed
 * exactly (→ FRAME_ENCODING). Nothing but {@link ProtocolException} escapes.
 *
 * <p>Immutable; one instance can be shared, decoding itself runs on the connection's event loop.
 */
public final class FrameCodec {

    private final FrameLimits limits;

    /** A codec applying {@code limits} when decoding. */
    public FrameCodec(FrameLimits limits) {
        this.limits = limits;
    }

    /** The caps this codec decodes with. */
    public FrameLimits limits() {
        return limits;
    }

    /** Encoded length of {@code frame} including the envelope. */
    public static int encodedLength(Frame frame) {
        int body = frame.bodyLength();
        return Varint.length(frame.type()) + Varint.length(body) + body;
    }

    /**
     * Writes {@code frame} with its envelope at {@code dst}'s position. The peer's caps (its {@link Settings}) are
     * the caller's to respect. {@link java.nio.BufferOverflowException} when it does not fit.
     */
    public static void encode(Frame frame, ByteBuffer dst) {
        int body = frame.bodyLength();
        WireWriter w = new WireWriter(dst);
        w.writeVarint(frame.type()).writeVarint(body);
        int start = dst.position();
        frame.encodeBody(w);
        if (dst.position() - start != body) {
            // A frame's bodyLength() and encodeBody() disagree: our bug, never the peer's.
            throw new IllegalStateException(frame.getClass().getSimpleName() + " wrote "
                    + (dst.position() - start) + " bytes, announced " + body);
        }
    }

    /** {@code frame} encoded into a new array. */
    public static byte[] encode(Frame frame) {
        ByteBuffer buf = ByteBuffer.allocate(encodedLength(frame));
        encode(frame, buf);
        return buf.array();
    }

    /**
     * Decodes exactly one frame from {@code src}, advancing its position past it. A frame cut short is
     * FRAME_ENCODING; use {@link #tryDecode} on a stream that may hold a partial frame.
     */
    public Frame decode(ByteBuffer src) throws ProtocolException {
        Frame f = tryDecode(src);
        if (f == null) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "truncated frame: " + src.remaining() + " bytes do not hold a whole frame");
        }
        return f;
    }

    /**
     * Decodes one frame if {@code src} holds all of it (position advanced past it); returns {@code null} and leaves
     * the position unchanged when more bytes are needed. Garbage throws even when incomplete, as soon as the
     * type or length shows it, so a peer cannot make us wait for (and buffer) a frame we would refuse.
     */
    public Frame tryDecode(ByteBuffer src) throws ProtocolException {
        int start = src.position();
        if (!src.hasRemaining()) {
            return null;
        }
        int typeLen = Varint.lengthFromFirstByte(src.get(start) & 0xFF);
        if (src.remaining() < typeLen) {
            return null;
        }
        WireReader r = new WireReader(src);
        long type = r.readVarint("frame type");
        if (Varint.length(type) != typeLen) {
            // RFC 9000 §12.4: frame types use the shortest encoding, so one type has exactly one spelling.
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "non-minimal frame type 0x" + Long.toHexString(type));
        }
        int maxBody = maxBodyLength(type);
        if (!src.hasRemaining()) {
            src.position(start);
            return null;
        }
        if (src.remaining() < Varint.lengthFromFirstByte(src.get(src.position()) & 0xFF)) {
            src.position(start);
            return null;
        }
        long bodyLen = r.readVarint("frame length", maxBody, ProtocolError.FRAME_TOO_LARGE);
        if (src.remaining() < bodyLen) {
            src.position(start);
            return null;
        }
        int bodyStart = src.position();
        WireReader body = new WireReader(src.slice(bodyStart, (int) bodyLen));
        Frame frame = decodeBody((int) type, body);
        body.expectEnd("frame type 0x" + Long.toHexString(type));
        src.position(bodyStart + (int) bodyLen);
        return frame;
    }

    private int maxBodyLength(long type) throws ProtocolException {
        return switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case FrameType.PING -> Ping.BODY_LENGTH;
            case FrameType.PONG -> Pong.BODY_LENGTH;
            case FrameType.CLOSE -> Close.maxBodyLength(limits);
            case FrameType.SETTINGS -> Settings.maxBodyLength(limits);
            case FrameType.STREAM_OPEN -> StreamOpen.MAX_BODY_LENGTH;
            case FrameType.STREAM_DATA, FrameType.STREAM_DATA_FIN, FrameType.STREAM_DATA_MORE ->
                    StreamData.maxBodyLength(limits);
            case FrameType.ACK_RANGES -> AckRanges.maxBodyLength(limits);
            case FrameType.MAX_STREAM_DATA -> MaxStreamData.MAX_BODY_LENGTH;
            case FrameType.STREAM_RESET -> StreamReset.MAX_BODY_LENGTH;
            case FrameType.STOP_SENDING -> StopSending.MAX_BODY_LENGTH;
            case FrameType.PATH_STATUS -> PathStatus.MAX_BODY_LENGTH;
            case FrameType.ADDRESS_UPDATE -> AddressUpdate.MAX_BODY_LENGTH;
            default -> throw new ProtocolException(ProtocolError.FRAME_UNKNOWN_TYPE,
                    "unknown frame type 0x" + Long.toHexString(type));
        };
    }

    private Frame decodeBody(int type, WireReader r) throws ProtocolException {
        return switch (type) {
            case FrameType.PING -> Ping.decodeBody(r);
            case FrameType.PONG -> Pong.decodeBody(r);
            case FrameType.CLOSE -> Close.decodeBody(r, limits);
            case FrameType.SETTINGS -> Settings.decodeBody(r, limits);
            case FrameType.STREAM_OPEN -> StreamOpen.decodeBody(r);
            case FrameType.STREAM_DATA -> StreamData.decodeBody(r, false, false, limits);
            case FrameType.STREAM_DATA_FIN -> StreamData.decodeBody(r, true, false, limits);
            case FrameType.STREAM_DATA_MORE -> StreamData.decodeBody(r, false, true, limits);
            case FrameType.ACK_RANGES -> AckRanges.decodeBody(r, limits);
            case FrameType.MAX_STREAM_DATA -> MaxStreamData.decodeBody(r);
            case FrameType.STREAM_RESET -> StreamReset.decodeBody(r);
            case FrameType.STOP_SENDING -> StopSending.decodeBody(r);
            case FrameType.PATH_STATUS -> PathStatus.decodeBody(r);
            case FrameType.ADDRESS_UPDATE -> AddressUpdate.decodeBody(r);
            // maxBodyLength() already refused every other type.
            default -> throw new IllegalStateException("unreachable frame type " + type);
        };
    }
}
