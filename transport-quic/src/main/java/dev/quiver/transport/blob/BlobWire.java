package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The downloader's messages on a blob logical stream (bit-61 kind), one after another; the provider answers each
 * {@code REQUEST} with one range response ({@link dev.quiver.codec.blob.RangeEncoder}), in order, so a downloader
 * pipelines many requests on one stream without any response framing (each response's end follows from its
 * request and the announced length).
 * <pre>
 * +---------+----------------------------------------------+
 * | type u8 | body                                         |
 * +---------+----------------------------------------------+
 * | 1       | RangeRequest (hash, startGroup, count, flags) |  REQUEST: answered with one range response
 * | 2       | hash (32)                                    |  COMPLETE: the downloader has finished this blob or
 * |         |                                              |  collection (no answer)
 * +---------+----------------------------------------------+
 * </pre>
 * The downloader ends its direction (FIN) after its last message; the provider ends its own after the last
 * answer. Unknown types, bad fields or a cap broken reset the stream.
 */
final class BlobWire {

    static final int REQUEST = 1;
    static final int COMPLETE = 2;
    /** Stream reset code for a request the provider refuses (protocol violation or cap). */
    static final long RESET_REFUSED = ProtocolError.PROTOCOL_VIOLATION.code();
    /** Stream reset code when the downloader abandons a provider (bad data, stall, cancel). */
    static final long RESET_ABANDONED = ProtocolError.CANCELLED.code();

    private BlobWire() {
    }

    /** A REQUEST message for {@code request}. */
    static byte[] request(RangeRequest request) {
        ByteBuffer buf = ByteBuffer.allocate(1 + RangeRequest.MAX_ENCODED_LENGTH);
        buf.put((byte) REQUEST);
        request.encode(buf);
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    /** A COMPLETE message for {@code hash}. */
    static byte[] complete(BlobHash hash) {
        byte[] out = new byte[1 + BlobHash.LENGTH];
        out[0] = COMPLETE;
        System.arraycopy(hash.bytes(), 0, out, 1, BlobHash.LENGTH);
        return out;
    }

    /** Reads a REQUEST body (after its type byte); bounded: at most {@link RangeRequest#MAX_ENCODED_LENGTH} bytes. */
    static RangeRequest readRequest(InputStream in) throws IOException, ProtocolException {
        byte[] buf = new byte[RangeRequest.MAX_ENCODED_LENGTH];
        int pos = readFully(in, buf, 0, BlobHash.LENGTH);
        for (int i = 0; i < 3; i++) {
            pos = readFully(in, buf, pos, 1);
            int len = Varint.lengthFromFirstByte(buf[pos - 1] & 0xFF);
            pos = readFully(in, buf, pos, len - 1);
        }
        return RangeRequest.decode(new WireReader(ByteBuffer.wrap(buf, 0, pos)));
    }

    /** Reads a COMPLETE body. */
    static BlobHash readComplete(InputStream in) throws IOException {
        byte[] h = new byte[BlobHash.LENGTH];
        readFully(in, h, 0, h.length);
        return new BlobHash(h);
    }

    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("blob stream ends inside a message");
        }
        return off + len;
    }
}
