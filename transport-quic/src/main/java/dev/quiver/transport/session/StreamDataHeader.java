package dev.quiver.transport.session;

import dev.quiver.codec.frame.FrameType;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import io.netty.buffer.ByteBuf;

/**
 * The fields of a StreamData frame before its payload, read straight from a {@code ByteBuf} with the checks the
 * frame codec makes (length cap, stream ID, payload cap, end offset, the same error codes), so the receive loop
 * needs no NIO views and no frame record per frame (they were its top allocations). The payload itself stays in the
 * buffer for the caller to stream to the reassembly.
 *
 * <pre>
 * type (0x06, 0x07 with FIN, 0x0E with more) | body length (varint) | stream id (64 bits) | offset (varint) | payload
 * </pre>
 *
 * <p>One mutable instance per reader, refilled by every {@link #parse}. Thread: the connection's event loop.
 */
final class StreamDataHeader {
    long offset;
    int payloadBytes;
    boolean fin;
    /** The sender had more queued when it ended this frame ({@code StreamData#more()}): no wake-up at its end. */
    boolean more;

    /** Whether {@code firstByte} starts a StreamData frame (its type's one-byte, only valid, encoding). */
    static boolean isStreamData(int firstByte) {
        return firstByte == FrameType.STREAM_DATA || firstByte == FrameType.STREAM_DATA_FIN
                || firstByte == FrameType.STREAM_DATA_MORE;
    }

    /**
     * Parses the header at {@code in}'s reader index (a StreamData type byte) and moves the reader index past it.
     * Returns false, consuming nothing, when more bytes are needed. The frame must belong to {@code carrier}.
     */
    boolean parse(ByteBuf in, StreamId carrier, int maxPayloadBytes) throws ProtocolException {
        int at = in.readerIndex();
        int end = in.writerIndex();
        int type = in.getUnsignedByte(at);
        at++;
        if (at == end || end - at < Varint.lengthFromFirstByte(in.getUnsignedByte(at))) {
            return false;
        }
        int lengthBytes = Varint.lengthFromFirstByte(in.getUnsignedByte(at));
        long bodyLen = varint(in, at, lengthBytes);
        at += lengthBytes;
        if (bodyLen > 8 + 8 + (long) maxPayloadBytes) {
            throw new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
                    "frame length " + bodyLen + " exceeds " + (8 + 8 + maxPayloadBytes));
        }
        // The codec reads the ID first, then the offset: the same order gives the same error for a short body.
        if (bodyLen < 8) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "StreamData length " + bodyLen + " shorter than its fields");
        }
        if (end - at < 8) {
            return false;
        }
        long raw = in.getLong(at);
        if (raw != carrier.raw()) {
            StreamId other = StreamId.of(raw); // an invalid ID fails as in the codec, a valid foreign one below
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                    "StreamData for " + other + " on the QUIC stream of " + carrier);
        }
        if (bodyLen == 8) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "StreamData length 8 leaves no offset");
        }
        if (end - at < 8 + 1) {
            return false;
        }
        int offsetBytes = Varint.lengthFromFirstByte(in.getUnsignedByte(at + 8));
        if (bodyLen < 8 + offsetBytes) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "StreamData length " + bodyLen + " shorter than its fields");
        }
        if (end - at < 8 + offsetBytes) {
            return false;
        }
        long frameOffset = varint(in, at + 8, offsetBytes);
        at += 8 + offsetBytes;
        long payload = bodyLen - 8 - offsetBytes;
        if (payload > maxPayloadBytes) {
            throw new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
                    "payload " + payload + " exceeds " + maxPayloadBytes);
        }
        if (payload > Varint.MAX_VALUE - frameOffset) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "offset " + frameOffset + " + length " + payload + " exceeds 2^62 - 1");
        }
        in.readerIndex(at);
        offset = frameOffset;
        payloadBytes = (int) payload;
        fin = type == FrameType.STREAM_DATA_FIN;
        more = type == FrameType.STREAM_DATA_MORE;
        return true;
    }

    /** The {@code length}-byte QUIC varint at {@code at} (RFC 9000 §16; non-minimal encodings are allowed). */
    private static long varint(ByteBuf in, int at, int length) {
        return switch (length) {
            case 1 -> in.getUnsignedByte(at);
            case 2 -> in.getUnsignedShort(at) & 0x3FFF;
            case 4 -> in.getUnsignedInt(at) & 0x3FFF_FFFFL;
            default -> in.getLong(at) & Varint.MAX_VALUE;
        };
    }
}
