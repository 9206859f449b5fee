package dev.quiver.codec.frame;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * Bytes of a logical stream at an absolute offset. Why: the (stream, offset) pair lets the receiver reassemble
 * frames that came over different paths, in any order, and lets the sender re-send a range on another path after
 * one dies. FIN is carried in the type ({@link FrameType#STREAM_DATA_FIN}), as in RFC 9000 §19.8. The payload is
 * the rest of the body, so it needs no length of its own.
 *
 * <pre>
 * +-------------------------+------------------+------------------------------+
 * | stream id (64 bits)     | offset (varint)  | payload (body length - rest) |
 * +-------------------------+------------------+------------------------------+
 * </pre>
 *
 * @param id the logical stream
 * @param offset stream offset of the first payload byte; offset + payload length &lt;= 2^62 - 1
 * @param fin whether the payload ends the stream (the final size is offset + payload length)
 * @param payload the bytes, a read-only view; when decoded it shares the decoder's input buffer and is valid
 *        only as long as that buffer is (copy it before releasing the buffer)
 */
public record StreamData(StreamId id, long offset, boolean fin, ByteBuffer payload) implements Frame {

    /** Validates the fields; keeps a read-only view of {@code payload}'s remaining bytes. */
    public StreamData {
        if (id == null || payload == null) {
            throw new IllegalArgumentException("id and payload must be non-null");
        }
        FrameFields.checkVarint("offset", offset);
        if (payload.remaining() > Varint.MAX_VALUE - offset) {
            throw new IllegalArgumentException("offset + length exceeds 2^62 - 1");
        }
        payload = payload.slice().asReadOnlyBuffer();
    }

    /** Payload length in bytes. */
    public int length() {
        return payload.remaining();
    }

    /** The stream offset just past this frame's bytes. */
    public long end() {
        return offset + payload.remaining();
    }

    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    @Override
    public int type() {
        return fin ? FrameType.STREAM_DATA_FIN : FrameType.STREAM_DATA;
    }

    @Override
    public int bodyLength() {
        return 8 + Varint.length(offset) + payload.remaining();
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(id.raw()).writeVarint(offset).writeBytes(payload);
    }

    /**
     * Writes the envelope and the fields before the payload, so the caller can append {@code payloadLength} bytes
     * straight from its own buffer without building a record (the hot send path).
     */
    public static void encodeHeader(WireWriter w, StreamId id, long offset, boolean fin, int payloadLength) {
        int body = 8 + Varint.length(offset) + payloadLength;
        w.writeVarint(fin ? FrameType.STREAM_DATA_FIN : FrameType.STREAM_DATA).writeVarint(body)
                .writeLong(id.raw()).writeVarint(offset);
    }

    /** Bytes {@link #encodeHeader} writes. */
    public static int headerLength(long offset, int payloadLength) {
        int body = 8 + Varint.length(offset) + payloadLength;
        return 1 + Varint.length(body) + 8 + Varint.length(offset);
    }

    static int maxBodyLength(FrameLimits limits) {
        return 8 + 8 + limits.maxPayloadBytes();
    }

    static StreamData decodeBody(WireReader r, boolean fin, FrameLimits limits) throws ProtocolException {
        StreamId id = FrameFields.readStreamId(r);
        long offset = r.readVarint("offset");
        int length = r.remaining();
        if (length > limits.maxPayloadBytes()) {
            throw new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
                    "payload " + length + " exceeds " + limits.maxPayloadBytes());
        }
        FrameFields.checkEnd(offset, length);
        return new StreamData(id, offset, fin, r.readSlice("payload", length));
    }
}
