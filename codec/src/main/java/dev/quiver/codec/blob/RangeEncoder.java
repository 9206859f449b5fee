package dev.quiver.codec.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.wire.WireWriter;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes a range response, the provider's answer to a {@link RangeRequest}:
 *
 * <pre>
 * +--------+-------------------------+----------------------------------------------------------+
 * | status | length                  | items (status OK only), in the pre-order of RangeWalk:    |
 * | u8     | varint, &lt;= MAX_BLOB_LENGTH | parent: left CV (32) | right CV (32)                   |
 * |        | (OK, RANGE_NOT_SATIS.)  | group:  groupLength(i) raw bytes (16 KiB, last shorter)   |
 * |        |                         | group with FLAG_LZ4: wireLen varint (0 .. groupLength(i)) |
 * |        |                         |   then wireLen bytes: raw if wireLen == groupLength(i),  |
 * |        |                         |   else one LZ4 block that decodes to groupLength(i) bytes |
 * +--------+-------------------------+----------------------------------------------------------+
 * </pre>
 *
 * The items are exactly the parents whose subtree holds a wanted group (the clipped requested range, plus the
 * last group with {@link RangeRequest#FLAG_PROVE_LENGTH}) and the wanted groups, each parent before its
 * subtrees. For a whole blob that is Bao's combined encoding without its length header: 64 bytes of tree per
 * 16 KiB group (0.4 %), and the receiver can check every group as soon as it has arrived. Nothing in the items
 * needs a length or tag: both ends derive the sequence from the length and the request.
 *
 * <p>{@link #encode} fills the caller's buffer as far as it goes and resumes where it stopped, so it fits a
 * credit-limited stream. Not thread-safe; one encoder per response.
 */
public final class RangeEncoder {

    /** Most bytes the header takes: status and an 8-byte varint. */
    public static final int MAX_HEADER_LENGTH = 9;
    private static final int ENTRY = 64;

    private final RangeSource source;
    private final Blake3Tree tree;
    private final RangeWalk walk;
    private final RangeStatus status;
    private final byte[] staging;
    /** LZ4 mode: the raw group, and its compressed form; null otherwise. */
    private final byte[] raw;
    private final byte[] compressed;
    private final LZ4Compressor compressor;
    private int stagingPos;
    private int stagingLen;
    private boolean headerDone;

    /** An encoder of the response to {@code request}, served from {@code source} (which holds that blob). */
    public RangeEncoder(RangeSource source, RangeRequest request) {
        this.source = Objects.requireNonNull(source, "source");
        if (!source.hash().equals(request.hash())) {
            throw new IllegalArgumentException("source holds " + source.hash() + ", request asks " + request.hash());
        }
        this.tree = Blake3Tree.of(source.length());
        long groups = tree.groupCount();
        this.status = request.startGroup() >= groups ? RangeStatus.RANGE_NOT_SATISFIABLE : RangeStatus.OK;
        long end = Math.min(groups, request.startGroup() + request.groupCount());
        this.walk = status == RangeStatus.OK
                ? new RangeWalk(groups, request.startGroup(), end, request.proveLength(), new byte[32]) : null;
        // A blob shorter than a group never needs a whole group's buffers: a collection of small files asks for
        // thousands of them, and 16 KiB each was most of what a provider allocated.
        int group = (int) Math.min(tree.groupSize(), source.length());
        if (request.lz4()) {
            this.compressor = LZ4Factory.fastestInstance().fastCompressor();
            this.raw = new byte[group];
            this.compressed = new byte[compressor.maxCompressedLength(group)];
            this.staging = new byte[8 + group];
        } else {
            this.compressor = null;
            this.raw = null;
            this.compressed = null;
            this.staging = new byte[Math.max(group, ENTRY)];
        }
    }

    /** The whole response to a request for a blob this provider does not have. */
    public static byte[] notFound() {
        return new byte[] {(byte) RangeStatus.NOT_FOUND.code()};
    }

    /** Whether every byte of the response has been written. */
    public boolean isDone() {
        return headerDone && stagingPos == stagingLen && (walk == null || !walk.hasNext());
    }

    /**
     * Writes as much of the response into {@code out} as fits, reading the store as it goes; returns
     * {@link #isDone()}. Call again with more room to continue. {@code out} needs at least
     * {@link #MAX_HEADER_LENGTH} bytes free on the first call.
     */
    public boolean encode(ByteBuffer out) throws IOException {
        if (!headerDone) {
            if (out.remaining() < MAX_HEADER_LENGTH) {
                throw new IllegalArgumentException("the first call needs " + MAX_HEADER_LENGTH + " bytes of room");
            }
            out.put((byte) status.code());
            new WireWriter(out).writeVarint(source.length());
            headerDone = true;
        }
        while (out.hasRemaining()) {
            if (stagingPos == stagingLen) {
                if (walk == null || !walk.hasNext()) {
                    break;
                }
                stageNext();
                continue;
            }
            int n = Math.min(out.remaining(), stagingLen - stagingPos);
            out.put(staging, stagingPos, n);
            stagingPos += n;
        }
        return isDone();
    }

    /** Stages the group in {@link #raw} as wire length and bytes: LZ4 when that is shorter, raw otherwise. */
    private void stageCompressed(int len) {
        int clen = len == 0 ? 0 : compressor.compress(raw, 0, len, compressed, 0, compressed.length);
        boolean pays = clen > 0 && clen < len;
        ByteBuffer b = ByteBuffer.wrap(staging);
        new WireWriter(b).writeVarint(pays ? clen : len);
        b.put(pays ? compressed : raw, 0, pays ? clen : len);
        stagingLen = b.position();
    }

    private void stageNext() throws IOException {
        walk.next();
        stagingPos = 0;
        if (walk.isGroup()) {
            long g = walk.lo();
            int len = tree.groupLength(g);
            if (compressor == null) {
                stagingLen = len;
                source.readData(tree.groupOffset(g), staging, 0, len);
            } else {
                source.readData(tree.groupOffset(g), raw, 0, len);
                stageCompressed(len);
            }
        } else {
            source.readParent(walk.preorderIndex(), staging, 0);
            stagingLen = ENTRY;
            walk.descend(staging, 0);
        }
    }
}
