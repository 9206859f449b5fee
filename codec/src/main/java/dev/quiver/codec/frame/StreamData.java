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
 * <p>So is {@code more} ({@link FrameType#STREAM_DATA_MORE}): the sender had more of the stream's bytes queued, within
 * the peer's credit, when it ended this frame, so the next one follows without waiting for the sending application.
 * It is a delivery hint, like TCP's missing PSH: the receiver need not wake a reader that asked for more bytes at
 * the end of such a frame (a bulk transfer then wakes its reader once per read, not once per frame), and it wakes
 * it at the end of any other frame, where the sender paused or a message ended.
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
 * @param more whether the sender had more bytes of the stream queued within credit (never with {@code fin})
 * @param payload the bytes, a read-only view; when decoded it shares the decoder's input buffer and is valid
 *        only as long as that buffer is (copy it before releasing the buffer)
 */
public record StreamData(StreamId id, long offset, boolean fin, boolean more, ByteBuffer payload) implements Frame {

    /** Validates the fields; keeps a read-only view of {@code payload}'s remaining bytes. */
    public StreamData {
        if (id == null || payload == null) {
            throw new IllegalArgumentException("id and payload must be non-null");
        }
        if (fin && more) {
            throw new IllegalArgumentException("a frame with FIN has nothing more to follow");
        }
        FrameFields.checkVarint("offset", offset);
        if (payload.remaining() > Varint.MAX_VALUE - offset) {
            throw new IllegalArgumentException("offset + length exceeds 2^62 - 1");
        }
        payload = payload.slice().asReadOnlyBuffer();
    }

    /** A frame without the {@code more} hint: its end is where the receiver wakes its reader. */
    public StreamData(StreamId id, long offset, boolean fin, ByteBuffer payload) {
        this(id, offset, fin, false, payload);
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
        return type(fin, more);
    }

    private static int type(boolean fin, boolean more) {
        return fin ? FrameType.STREAM_DATA_FIN : more ? FrameType.STREAM_DATA_MORE : FrameType.STREAM_DATA;
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
    public static void encodeHeader(WireWriter w, StreamId id, long offset, boolean fin, boolean more,
                                    int payloadLength) {
        if (fin && more) {
            throw new IllegalArgumentException("a frame with FIN has nothing more to follow");
        }
        int body = 8 + Varint.length(offset) + payloadLength;
        w.writeVarint(type(fin, more)).writeVarint(body)
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

    static StreamData decodeBody(WireReader r, boolean fin, boolean more, FrameLimits limits)
            throws ProtocolException {
        StreamId id = FrameFields.readStreamId(r);
        long offset = r.readVarint("offset");
        int length = r.remaining();
        if (length > limits.maxPayloadBytes()) {
            throw new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
                    "payload " + length + " exceeds " + limits.maxPayloadBytes());
        }
        FrameFields.checkEnd(offset, length);
        return new StreamData(id, offset, fin, more, r.readSlice("payload", length));
    }
}
