package dev.quiver.codec.stream;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * The fixed header every QUIC stream Quiver opens starts with: the logical stream ID it carries, so a logical
 * stream can outlive the QUIC connection (migration, multipath, relay).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 logical stream ID (64 bits, big-endian)       |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StreamHeader {

    /** Header length in bytes. */
    public static final int LENGTH = 8;

    private StreamHeader() {
    }

    /** Writes the header for {@code id}. */
    public static void encode(StreamId id, ByteBuffer dst) {
        new WireWriter(dst).writeLong(id.raw());
    }

    /**
     * Reads the header: FRAME_ENCODING when fewer than 8 bytes remain (the caller waits for 8 bytes first),
     * STREAM_ID_INVALID when the value breaks the bit rules.
     */
    public static StreamId decode(ByteBuffer src) throws ProtocolException {
        if (src.remaining() < LENGTH) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "stream header needs " + LENGTH + " bytes, " + src.remaining() + " available");
        }
        return StreamId.of(new WireReader(src).readLong("stream header"));
    }
}
