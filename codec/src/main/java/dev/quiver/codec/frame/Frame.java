package dev.quiver.codec.frame;

import dev.quiver.codec.wire.WireWriter;

/**
 * One session-level frame. Frames travel on QUIC streams (the control stream, or the QUIC stream that carries a
 * logical stream) and name the logical stream they concern, so a logical stream can be striped over several paths
 * and re-sent on another path after one dies. Every frame has the same envelope:
 *
 * <pre>
 * +-------------+---------------+---------------------------+
 * | type varint | length varint | body (length bytes)       |
 * +-------------+---------------+---------------------------+
 * </pre>
 *
 * The explicit body length lets a stream reader know a frame is complete before parsing it, and lets the decoder
 * cap every frame type's size before it buffers anything (see {@link FrameCodec}). Varints are RFC 9000 §16.
 *
 * <p>Handle frames with an exhaustive pattern-matching {@code switch} (no {@code default}): adding a frame type then
 * breaks compilation until every switch handles it.
 */
public sealed interface Frame
        permits Ping, Pong, Close, Settings, StreamOpen, StreamData, AckRanges, MaxStreamData, StreamReset,
        StopSending, PathStatus, AddressUpdate {

    /** The wire type code. */
    int type();

    /** Length of the body in bytes (excluding the type and length fields). */
    int bodyLength();

    /** Writes the body (excluding the type and length fields). */
    void encodeBody(WireWriter w);
}
