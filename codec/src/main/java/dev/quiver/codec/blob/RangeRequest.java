package dev.quiver.codec.blob;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * A request for chunk groups {@code [startGroup, startGroup + groupCount)} of the blob {@code hash}, the first
 * bytes a downloader writes on a blob logical stream. The provider clips the range to the blob's end.
 *
 * <pre>
 *  0                   1                   2                   3
 * +---------------------------------------------------------------+
 * |                     hash (32 bytes)                           |
 * +---------------------------------------------------------------+
 * |  startGroup (varint, &lt; MAX_BLOB_LENGTH / 1 KiB)              |
 * |  groupCount (varint, 1 .. MAX_GROUPS_PER_REQUEST)             |
 * |  flags      (varint; unknown bits are refused)                |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * @param hash the blob's root hash
 * @param startGroup the first group (16 KiB each)
 * @param groupCount how many groups, at least 1
 * @param flags {@link #FLAG_PROVE_LENGTH}, {@link #FLAG_LZ4}
 */
public record RangeRequest(BlobHash hash, long startGroup, long groupCount, long flags) {

    /**
     * Also send the blob's last group (verified like the others), which authenticates the length the provider
     * announces (the tree shape depends on it; the BLAKE3 paper, section 2.1). Ask for it while the length is not
     * yet known from a verified source.
     */
    public static final long FLAG_PROVE_LENGTH = 1;
    /**
     * The receiver accepts LZ4-compressed groups: each group then goes as a varint wire length, then that many
     * bytes, raw when the length equals the group's, else an LZ4 block (the provider sends a group raw whenever
     * LZ4 does not shrink it). See {@link RangeEncoder}.
     */
    public static final long FLAG_LZ4 = 2;
    /** Bits this version knows; a request with others is refused so a new bit is never silently ignored. */
    public static final long KNOWN_FLAGS = FLAG_PROVE_LENGTH | FLAG_LZ4;
    /** Largest encoded request: 32 + 3 varints of at most 8 bytes. */
    public static final int MAX_ENCODED_LENGTH = BlobHash.LENGTH + 3 * 8;

    private static final long MAX_START_GROUP = BlobLimits.MAX_BLOB_LENGTH / 1024;

    /** Checks the ranges and flags. */
    public RangeRequest {
        if (startGroup < 0 || startGroup >= MAX_START_GROUP) {
            throw new IllegalArgumentException("startGroup out of [0, " + MAX_START_GROUP + "): " + startGroup);
        }
        if (groupCount < 1 || groupCount > BlobLimits.MAX_GROUPS_PER_REQUEST) {
            throw new IllegalArgumentException("groupCount out of [1, " + BlobLimits.MAX_GROUPS_PER_REQUEST + "]: "
                    + groupCount);
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown flags: 0x" + Long.toHexString(flags & ~KNOWN_FLAGS));
        }
    }

    /** Whether {@link #FLAG_PROVE_LENGTH} is set. */
    public boolean proveLength() {
        return (flags & FLAG_PROVE_LENGTH) != 0;
    }

    /** Whether {@link #FLAG_LZ4} is set. */
    public boolean lz4() {
        return (flags & FLAG_LZ4) != 0;
    }

    /** Writes the request; {@code out} needs {@link #MAX_ENCODED_LENGTH} bytes free. */
    public void encode(ByteBuffer out) {
        out.put(hash.bytes());
        WireWriter w = new WireWriter(out);
        w.writeVarint(startGroup).writeVarint(groupCount).writeVarint(flags);
    }

    /** The request as bytes. */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_ENCODED_LENGTH);
        encode(buf);
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    /** Reads a request; garbage, out-of-range fields and unknown flags become a {@link ProtocolException}. */
    public static RangeRequest decode(WireReader in) throws ProtocolException {
        byte[] hash = new byte[BlobHash.LENGTH];
        in.readSlice("range request hash", BlobHash.LENGTH).get(hash);
        long start = in.readVarint("range request startGroup", MAX_START_GROUP - 1, ProtocolError.FRAME_ENCODING);
        long count = in.readVarint("range request groupCount", BlobLimits.MAX_GROUPS_PER_REQUEST,
                ProtocolError.FRAME_TOO_LARGE);
        if (count == 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "range request groupCount is 0");
        }
        long flags = in.readVarint("range request flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "range request has unknown flags 0x" + Long.toHexString(flags & ~KNOWN_FLAGS));
        }
        return new RangeRequest(new BlobHash(hash), start, count, flags);
    }
}
