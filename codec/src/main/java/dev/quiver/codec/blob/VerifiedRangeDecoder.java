package dev.quiver.codec.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.MalformedRangeResponseException.Reason;
import dev.quiver.codec.wire.Varint;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Consumes a range response (layout: {@link RangeEncoder}) in pieces of any size, as they come off the network,
 * and hands each chunk group to a {@link GroupSink} only once it hashes, through the tree nodes before it, to the
 * root hash. A lying provider is caught at the first item that does not verify: a bad parent at the first wanted
 * group below it, a bad group at that group ({@link CorruptGroupException}), so at most one group of bad bytes
 * is ever buffered and none is passed on. Extra bytes, an early end, or an impossible length are a
 * {@link MalformedRangeResponseException}.
 *
 * <p>The announced length shapes the tree, so it is authenticated only once the last group has verified
 * ({@link #lengthAuthenticated()}); pass the length when it is already known from a verified source (a manifest,
 * an earlier response), else ask with {@link RangeRequest#FLAG_PROVE_LENGTH}. Groups verified before that are
 * genuine either way: a false length cannot make a wrong group hash to the root.
 *
 * <p>With {@link RangeRequest#FLAG_LZ4} a group may arrive LZ4-compressed; it is decompressed by the bounds-checked
 * pure-Java LZ4 decoder into exactly the group's length (anything else is a {@link CorruptGroupException} at
 * that group) and then verified like a raw one.
 *
 * <p>Memory: two group buffers (16 KiB each, or the known length if shorter) and a fixed node stack, allocated
 * here, whatever the length announced.
 * Not thread-safe; owned by the thread that reads the stream.
 */
public final class VerifiedRangeDecoder {

    private static final int CV = 32;
    private static final int ENTRY = 64;
    private static final int[] IV = Blake3.ivWords();

    private final byte[] root;
    private final RangeRequest request;
    private final long knownLength;
    private final GroupSink sink;
    private final byte[] header = new byte[RangeEncoder.MAX_HEADER_LENGTH];
    private static final int GROUP = Blake3Flags.CHUNK_LEN << Blake3Tree.DEFAULT_GROUP_LOG;
    /** Untrusted input: the pure-Java decoder that checks every offset (lz4-java's safe instance). */
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.safeInstance().safeDecompressor();

    /** A group or a parent node; no longer than the known length needs (see {@link #bufferLength}). */
    private final byte[] buf;
    /** Compressed group bytes (LZ4 mode only), at most one group: a compressed group is shorter than the raw one. */
    private final byte[] wire;
    private final byte[] prefix = new byte[8];
    private int prefixLen;
    /** Reading a group's varint wire length (LZ4 mode). */
    private boolean inPrefix;
    /** Where the current item's bytes go: {@link #buf}, or {@link #wire} for a compressed group. */
    private byte[] target;
    private final byte[] computed = new byte[CV];
    private int headerLen;
    private Blake3Tree tree;
    private RangeWalk walk;
    private int need;
    private int filled;
    private boolean done;
    /** Set while feeding and left set by an exception: the stream position is then unknown. */
    private boolean failed;
    private long length = -1;
    private boolean lengthAuthenticated;
    private long verifiedGroups;

    /**
     * A decoder of the response to {@code request}, verifying against the request's hash, handing verified groups
     * to {@code sink}. {@code knownLength} is the blob's length if already verified, else -1.
     */
    public VerifiedRangeDecoder(RangeRequest request, long knownLength, GroupSink sink) {
        this.request = Objects.requireNonNull(request, "request");
        this.root = request.hash().bytes();
        if (knownLength < -1 || knownLength > BlobLimits.MAX_BLOB_LENGTH) {
            throw new IllegalArgumentException("knownLength out of [-1, MAX_BLOB_LENGTH]: " + knownLength);
        }
        this.knownLength = knownLength;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.buf = new byte[bufferLength(knownLength)];
        this.wire = request.lz4() ? new byte[buf.length] : null;
        this.target = buf;
    }

    /**
     * Bytes the item buffer needs: a whole group, unless the blob is known (and checked against the announced
     * length before any item is read) to be shorter; at least a parent node. A collection of small files makes
     * one decoder per file, and 16 KiB each was most of what a downloader allocated (164 MB for 10 000 files).
     */
    private static int bufferLength(long knownLength) {
        return knownLength < 0 ? GROUP : (int) Math.max(ENTRY, Math.min(GROUP, knownLength));
    }

    /**
     * Consumes all of {@code in} (position moves to its limit), passing every group that completes and verifies
     * to the sink. After an exception the decoder is unusable.
     */
    public void feed(ByteBuffer in) throws MalformedRangeResponseException, CorruptGroupException,
            RangeRefusedException, IOException {
        if (failed) {
            throw new IllegalStateException("the decoder failed earlier; drop the stream and start a new request");
        }
        failed = true;
        feedAll(in, false);
        failed = false;
    }

    /**
     * As {@link #feed(ByteBuffer)}, but stops at the end of this response and leaves any further bytes in
     * {@code in} (the next pipelined response on the same stream); returns {@link #isDone()}.
     */
    public boolean feedUntilDone(ByteBuffer in) throws MalformedRangeResponseException, CorruptGroupException,
            RangeRefusedException, IOException {
        if (failed) {
            throw new IllegalStateException("the decoder failed earlier; drop the stream and start a new request");
        }
        failed = true;
        feedAll(in, true);
        failed = false;
        return done;
    }

    private void feedAll(ByteBuffer in, boolean stopAtEnd) throws MalformedRangeResponseException,
            CorruptGroupException, RangeRefusedException, IOException {
        while (in.hasRemaining()) {
            if (done) {
                if (stopAtEnd) {
                    return;
                }
                throw new MalformedRangeResponseException(Reason.TRAILING_BYTES,
                        in.remaining() + " bytes after the last item of groups " + describeRange());
            }
            if (tree == null) {
                readHeaderByte(in.get());
                continue;
            }
            if (inPrefix) {
                readPrefixByte(in.get());
                continue;
            }
            int n = Math.min(in.remaining(), need - filled);
            in.get(target, filled, n);
            filled += n;
            completeItems();
        }
    }

    /** As {@link #feed(ByteBuffer)} over {@code bytes[off, off + len)}. */
    public void feed(byte[] bytes, int off, int len) throws MalformedRangeResponseException, CorruptGroupException,
            RangeRefusedException, IOException {
        feed(ByteBuffer.wrap(bytes, off, len));
    }

    /** The stream ended: throws {@link Reason#TRUNCATED} unless every expected item arrived and verified. */
    public void finish() throws MalformedRangeResponseException {
        if (!done) {
            String at = walk == null ? "in the header" : "at group " + pendingGroup();
            throw new MalformedRangeResponseException(Reason.TRUNCATED, "stream ended " + at + " of groups "
                    + describeRange());
        }
    }

    /** Whether every expected item arrived and verified. */
    public boolean isDone() {
        return done;
    }

    /** The announced blob length once the header is read, else -1. */
    public long length() {
        return length;
    }

    /** Whether the length has been proven: known up front, or the last group verified under it. */
    public boolean lengthAuthenticated() {
        return lengthAuthenticated;
    }

    /** How many groups have verified and gone to the sink. */
    public long verifiedGroups() {
        return verifiedGroups;
    }

    private void readHeaderByte(byte b) throws MalformedRangeResponseException, RangeRefusedException,
            CorruptGroupException, IOException {
        header[headerLen++] = b;
        RangeStatus status = RangeStatus.fromCode(header[0] & 0xFF);
        if (status == null) {
            throw new MalformedRangeResponseException(Reason.UNKNOWN_STATUS, "status byte " + (header[0] & 0xFF));
        }
        if (status == RangeStatus.NOT_FOUND) {
            throw new RangeRefusedException(status, -1);
        }
        if (headerLen == 1 || headerLen < 1 + Varint.lengthFromFirstByte(header[1] & 0xFF)) {
            return;
        }
        long len = decodeVarint();
        if (status == RangeStatus.RANGE_NOT_SATISFIABLE) {
            throw new RangeRefusedException(status, len);
        }
        startItems(len);
    }

    private long decodeVarint() {
        int n = headerLen - 1;
        long v = header[1] & 0x3F;
        for (int i = 1; i < n; i++) {
            v = v << 8 | (header[1 + i] & 0xFF);
        }
        return v;
    }

    private void startItems(long len) throws MalformedRangeResponseException, CorruptGroupException, IOException {
        if (len > BlobLimits.MAX_BLOB_LENGTH) {
            throw new MalformedRangeResponseException(Reason.LENGTH_TOO_LARGE, len + " > " + BlobLimits.MAX_BLOB_LENGTH);
        }
        if (knownLength >= 0 && len != knownLength) {
            throw new MalformedRangeResponseException(Reason.LENGTH_MISMATCH,
                    "announced " + len + ", known " + knownLength);
        }
        length = len;
        lengthAuthenticated = knownLength >= 0;
        tree = Blake3Tree.of(len);
        if (request.startGroup() >= tree.groupCount()) {
            // The provider should have said RANGE_NOT_SATISFIABLE: it sent OK for a range past the end it announces.
            throw new MalformedRangeResponseException(Reason.BAD_HEADER, "status OK, but start group "
                    + request.startGroup() + " lies past the announced " + tree.groupCount() + " groups");
        }
        long end = Math.min(tree.groupCount(), request.startGroup() + request.groupCount());
        walk = new RangeWalk(tree.groupCount(), request.startGroup(), end, request.proveLength(), root);
        advance();
        completeItems();
    }

    /** Verifies and consumes every item that is complete in the buffer (a zero-length group is complete at once). */
    private void completeItems() throws CorruptGroupException, IOException {
        while (!done && !inPrefix && filled == need) {
            if (walk.isGroup()) {
                verifyGroup();
            } else {
                verifyParent();
            }
            advance();
        }
    }

    private void advance() {
        filled = 0;
        if (!walk.hasNext()) {
            done = true;
            need = 0;
            return;
        }
        walk.next();
        need = walk.isGroup() ? tree.groupLength(walk.lo()) : ENTRY;
        target = buf;
        if (wire != null && walk.isGroup()) {
            inPrefix = true;
            prefixLen = 0;
        }
    }

    /** LZ4 mode: one byte of the group's wire length, a varint of at most the group's length. */
    private void readPrefixByte(byte b) throws CorruptGroupException, IOException {
        prefix[prefixLen++] = b;
        if (prefixLen < Varint.lengthFromFirstByte(prefix[0] & 0xFF)) {
            return;
        }
        long v = prefix[0] & 0x3F;
        for (int i = 1; i < prefixLen; i++) {
            v = v << 8 | (prefix[i] & 0xFF);
        }
        int groupLen = tree.groupLength(walk.lo());
        if (v > groupLen) {
            throw new CorruptGroupException(walk.lo(), "wire length " + v + " exceeds the group's " + groupLen
                    + " bytes");
        }
        inPrefix = false;
        need = (int) v;
        target = v == groupLen ? buf : wire;
        completeItems();
    }

    private void verifyParent() throws CorruptGroupException {
        if (walk.isRoot()) {
            Blake3Tree.rootHash(buf, 0, buf, CV, IV, 0, computed, 0, CV);
        } else {
            Blake3Tree.parentChainingValue(buf, 0, buf, CV, IV, 0, computed, 0);
        }
        if (!MessageDigest.isEqual(computed, walk.expectedCv())) {
            throw new CorruptGroupException(walk.firstWanted(), "tree node at pre-order index "
                    + walk.preorderIndex() + " does not hash to its parent's chaining value");
        }
        walk.descend(buf, 0);
    }

    private void verifyGroup() throws CorruptGroupException, IOException {
        long g = walk.lo();
        int len = tree.groupLength(g);
        if (target == wire) {
            inflate(g, len);
        }
        if (walk.isRoot()) {
            tree.singleGroupRootHash(buf, 0, computed, 0, CV);
        } else {
            tree.groupChainingValue(g, buf, 0, computed, 0);
        }
        if (!MessageDigest.isEqual(computed, walk.expectedCv())) {
            throw new CorruptGroupException(g, len + " data bytes do not hash to the chaining value the tree proves");
        }
        if (g == tree.groupCount() - 1) {
            lengthAuthenticated = true;
        }
        verifiedGroups++;
        sink.accept(g, tree.groupOffset(g), buf, 0, len);
    }

    private void inflate(long g, int len) throws CorruptGroupException {
        int out;
        try {
            out = LZ4.decompress(wire, 0, need, buf, 0, len);
        } catch (LZ4Exception e) {
            throw new CorruptGroupException(g, "LZ4 block of " + need + " bytes does not decode: " + e.getMessage());
        }
        if (out != len) {
            throw new CorruptGroupException(g, "LZ4 block decodes to " + out + " bytes, not " + len);
        }
    }

    private long pendingGroup() {
        return walk.isGroup() ? walk.lo() : walk.firstWanted();
    }

    private String describeRange() {
        return "[" + request.startGroup() + ", " + (request.startGroup() + request.groupCount()) + ")"
                + (request.proveLength() ? " + last" : "");
    }
}
