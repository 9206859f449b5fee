package dev.quiver.codec.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.MalformedRangeResponseException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(60)
class VerifiedRangeDecoderTest {

    private static final int G = 16 * 1024;

    static byte[] data(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Encodes the whole response through output buffers of random sizes (at least the header's 9 bytes). */
    static byte[] encode(RangeSource source, RangeRequest request, Random rnd) throws IOException {
        RangeEncoder enc = new RangeEncoder(source, request);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean done = false;
        while (!done) {
            ByteBuffer buf = ByteBuffer.allocate(9 + rnd.nextInt(40_000));
            done = enc.encode(buf);
            out.write(buf.array(), 0, buf.position());
        }
        return out.toByteArray();
    }

    record Got(long index, long offset, byte[] bytes) { }

    /** Feeds {@code response} in random pieces and returns the verified groups in order. */
    static List<Got> decode(byte[] response, RangeRequest request, long knownLength, Random rnd,
                            VerifiedRangeDecoder[] out) throws Exception {
        List<Got> got = new ArrayList<>();
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(request, knownLength,
                (g, off, b, o, l) -> got.add(new Got(g, off, Arrays.copyOfRange(b, o, o + l))));
        if (out != null) {
            out[0] = dec;
        }
        int pos = 0;
        while (pos < response.length) {
            int n = Math.min(response.length - pos, 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 30_000));
            dec.feed(ByteBuffer.wrap(response, pos, n));
            pos += n;
        }
        dec.finish();
        return got;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1023, 1024, G - 1, G, G + 1, 2 * G, 3 * G + 5, 5 * G, 17 * G + 999, 64 * G + 1})
    void everyRangeDecodesToTheRightGroups(int len) throws Exception {
        byte[] message = data(len, len);
        ArraySource src = new ArraySource(message);
        Blake3Tree tree = Blake3Tree.of(len);
        long groups = tree.groupCount();
        Random rnd = new Random(len * 31L);
        long[][] ranges = {{0, 1}, {0, groups}, {0, groups + 10}, {groups - 1, 1}, {groups / 2, 3}, {1, 2},
            {groups / 3, groups / 2 + 1}};
        for (long[] r : ranges) {
            for (boolean prove : new boolean[] {false, true}) {
                if (r[0] >= groups) {
                    continue;
                }
                RangeRequest req = new RangeRequest(src.hash(), r[0], r[1], prove ? RangeRequest.FLAG_PROVE_LENGTH : 0);
                VerifiedRangeDecoder[] dec = new VerifiedRangeDecoder[1];
                List<Got> got = decode(encode(src, req, rnd), req, -1, rnd, dec);
                long end = Math.min(groups, r[0] + r[1]);
                List<Long> expected = new ArrayList<>();
                for (long g = r[0]; g < end; g++) {
                    expected.add(g);
                }
                if (prove && end < groups) {
                    expected.add(groups - 1);
                }
                assertEquals(expected, got.stream().map(Got::index).toList(), "len " + len + " range "
                        + Arrays.toString(r) + " prove " + prove);
                for (Got g : got) {
                    assertEquals(tree.groupOffset(g.index()), g.offset());
                    assertArrayEquals(Arrays.copyOfRange(message, (int) g.offset(),
                            (int) g.offset() + tree.groupLength(g.index())), g.bytes());
                }
                assertEquals(end == groups || prove, dec[0].lengthAuthenticated());
                assertEquals(len, dec[0].length());
            }
        }
    }

    /** A known length below a group sizes the buffers down; raw and LZ4 responses still verify whole. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 64, 65, 4097, G - 1, G, G + 1})
    void knownShortLengthsDecode(int len) throws Exception {
        byte[] message = data(len, 7L * len);
        ArraySource src = new ArraySource(message);
        Random rnd = new Random(len);
        for (long flags : new long[] {0, RangeRequest.FLAG_LZ4, RangeRequest.FLAG_PROVE_LENGTH}) {
            RangeRequest req = new RangeRequest(src.hash(), 0, Blake3Tree.of(len).groupCount(), flags);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (Got g : decode(encode(src, req, rnd), req, len, rnd, null)) {
                got.write(g.bytes());
            }
            assertArrayEquals(message, got.toByteArray(), "len " + len + " flags " + flags);
        }
    }

    /** A provider announcing more than the known length is refused at the header, before any group is buffered. */
    @Test
    void announcedLengthAboveTheKnownOneIsRefused() throws Exception {
        byte[] longer = data(3 * G + 10, 77);
        ArraySource src = new ArraySource(longer);
        RangeRequest req = new RangeRequest(src.hash(), 0, 1, 0);
        byte[] response = encode(src, req, new Random(78));
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, 100, (g, off, b, o, l) -> fail("no group"));
        assertThrows(MalformedRangeResponseException.class, () -> dec.feed(ByteBuffer.wrap(response)));
    }

    @Test
    void pipelinedResponsesOnOneStreamSplitAtEachEnd() throws Exception {
        byte[] message = data(5 * G + 77, 31);
        ArraySource src = new ArraySource(message);
        Random rnd = new Random(32);
        RangeRequest[] reqs = {new RangeRequest(src.hash(), 0, 2, 0), new RangeRequest(src.hash(), 2, 3, 0),
            new RangeRequest(src.hash(), 5, 1, RangeRequest.FLAG_LZ4)};
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (RangeRequest r : reqs) {
            wire.write(encode(src, r, rnd));
        }
        byte[] stream = wire.toByteArray();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int k = 0;
        GroupSink sink = (g, off, b, o, l) -> {
            assertEquals(got.size(), off, "groups arrive in order, each once");
            got.write(b, o, l);
        };
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(reqs[0], message.length, sink);
        int pos = 0;
        while (pos < stream.length) {
            // Pieces of any size, many spanning the end of one response and the start of the next.
            ByteBuffer piece = ByteBuffer.wrap(stream, pos, Math.min(stream.length - pos, 1 + rnd.nextInt(20_000)));
            pos = piece.limit();
            while (piece.hasRemaining()) {
                if (dec.feedUntilDone(piece)) {
                    dec.finish();
                    k++;
                    if (k < reqs.length) {
                        dec = new VerifiedRangeDecoder(reqs[k], message.length, sink);
                    }
                }
                assertTrue(k < reqs.length || !piece.hasRemaining(), "bytes after the last response");
            }
        }
        assertEquals(reqs.length, k);
        assertArrayEquals(message, got.toByteArray());
    }

    @Test
    void wholeBlobCostsExactlyTheOutboard() throws Exception {
        byte[] message = data(40 * G + 3, 7);
        ArraySource src = new ArraySource(message);
        RangeRequest req = new RangeRequest(src.hash(), 0, 1000, 0);
        byte[] response = encode(src, req, new Random(1));
        // status (1) + varint length (4 bytes for < 2^30) + outboard + data
        assertEquals(1 + 4 + src.outboard().length + message.length, response.length);
    }

    /** An independent (recursive) model of the item layout: [start, end) of each item and the group it reports. */
    private static void layout(long lo, long n, long start, long end, List<long[]> items, long[] pos, int groupLen0,
                               Blake3Tree tree) {
        if (n == 1) {
            int len = tree.groupLength(lo);
            items.add(new long[] {pos[0], pos[0] + len, lo});
            pos[0] += len;
            return;
        }
        long left = Long.highestOneBit(n - 1);
        items.add(new long[] {pos[0], pos[0] + 64, Math.max(lo, start)});
        pos[0] += 64;
        if (lo < end && lo + left > start) {
            layout(lo, left, start, end, items, pos, groupLen0, tree);
        }
        if (lo + left < end && lo + n > start) {
            layout(lo + left, n - left, start, end, items, pos, groupLen0, tree);
        }
    }

    @Test
    void everyFlipInTreeNodesAndSampledDataIsCaughtAtItsGroup() throws Exception {
        int len = 9 * G + 100;
        byte[] message = data(len, 3);
        ArraySource src = new ArraySource(message);
        Blake3Tree tree = Blake3Tree.of(len);
        for (long[] range : new long[][] {{0, 10}, {3, 4}}) {
            RangeRequest req = new RangeRequest(src.hash(), range[0], range[1], 0);
            byte[] response = encode(src, req, new Random(2));
            int header = 1 + 4;
            List<long[]> items = new ArrayList<>();
            layout(0, tree.groupCount(), range[0], range[0] + range[1], items, new long[] {header}, 0, tree);
            assertEquals(response.length, items.get(items.size() - 1)[1]);
            Random rnd = new Random(5);
            int flips = 0;
            for (long[] item : items) {
                boolean parent = item[1] - item[0] == 64;
                for (long p = item[0]; p < item[1]; p += parent ? 1 : 1 + rnd.nextInt(2000)) {
                    flipAndExpect(response, (int) p, req, item[2]);
                    flips++;
                }
                flipAndExpect(response, (int) item[1] - 1, req, item[2]);
            }
            assertTrue(flips > 200, "flips " + flips);
        }
    }

    @Test
    void everySingleByteFlipOfATwoGroupResponseIsCaughtAtItsGroup() throws Exception {
        int len = G + 300;
        ArraySource src = new ArraySource(data(len, 21));
        Blake3Tree tree = Blake3Tree.of(len);
        RangeRequest req = new RangeRequest(src.hash(), 0, 2, 0);
        byte[] response = encode(src, req, new Random(2));
        List<long[]> items = new ArrayList<>();
        int header = 1 + dev.quiver.codec.wire.Varint.length(len);
        layout(0, tree.groupCount(), 0, 2, items, new long[] {header}, 0, tree);
        assertEquals(response.length, items.get(items.size() - 1)[1]);
        for (long[] item : items) {
            for (long p = item[0]; p < item[1]; p++) {
                flipAndExpect(response, (int) p, req, item[2]);
            }
        }
    }

    private static void flipAndExpect(byte[] response, int pos, RangeRequest req, long group) throws Exception {
        byte[] bad = response.clone();
        bad[pos] ^= (byte) (1 << (pos & 7));
        List<Long> seen = new ArrayList<>();
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> seen.add(g));
        CorruptGroupException e = assertThrows(CorruptGroupException.class, () -> dec.feed(ByteBuffer.wrap(bad)),
                "flip at " + pos);
        assertEquals(group, e.groupIndex(), "flip at " + pos);
        assertFalse(seen.contains(group), "the bad group must never reach the sink");
        assertThrows(IllegalStateException.class, () -> dec.feed(ByteBuffer.wrap(bad)), "unusable after a failure");
        assertEquals(seen.stream().filter(g -> g >= group).count(), 0, "nothing at or after the bad group");
    }

    /** Groups alternate: even ones compress (text-like), odd ones are random and go raw. */
    private static byte[] mixed(int len) {
        byte[] b = data(len, 99);
        byte[] pattern = "the quick brown fox jumps over the lazy dog 0123456789 ".getBytes();
        for (int i = 0; i < len; i++) {
            if ((i / G) % 2 == 0) {
                b[i] = pattern[i % pattern.length];
            }
        }
        return b;
    }

    @Test
    void lz4GroupsRoundTripShrinkAndFlipsAreCaughtAtTheirGroup() throws Exception {
        for (int len : new int[] {0, 1, 100, G, 7 * G + 3, 33 * G}) {
            byte[] message = mixed(len);
            ArraySource src = new ArraySource(message);
            Blake3Tree tree = Blake3Tree.of(len);
            long groups = tree.groupCount();
            RangeRequest req = new RangeRequest(src.hash(), 0, groups, RangeRequest.FLAG_LZ4);
            Random rnd = new Random(len);
            byte[] response = encode(src, req, rnd);
            List<Got> got = decode(response, req, -1, rnd, null);
            assertEquals(groups, got.size());
            for (Got g : got) {
                assertArrayEquals(Arrays.copyOfRange(message, (int) g.offset(),
                        (int) g.offset() + tree.groupLength(g.index())), g.bytes());
            }
            if (len >= G) {
                assertTrue(response.length < len * 3 / 4, "compressible groups shrink: " + response.length);
            }
        }
        byte[] message = mixed(6 * G + 10);
        ArraySource src = new ArraySource(message);
        RangeRequest req = new RangeRequest(src.hash(), 0, 7, RangeRequest.FLAG_LZ4);
        byte[] response = encode(src, req, new Random(1));
        byte[] raw = encode(src, new RangeRequest(src.hash(), 0, 7, 0), new Random(1));
        Random rnd = new Random(3);
        int caught = 0;
        for (int i = 0; i < 300; i++) {
            int pos = 5 + rnd.nextInt(response.length - 5);
            byte[] bad = response.clone();
            bad[pos] ^= (byte) (1 << rnd.nextInt(8));
            List<Long> seen = new ArrayList<>();
            VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> seen.add(g));
            try {
                dec.feed(ByteBuffer.wrap(bad));
                dec.finish();
                fail("flip at " + pos + " went unnoticed");
            } catch (CorruptGroupException e) {
                caught++;
                assertFalse(seen.contains(e.groupIndex()));
                assertEquals(e.groupIndex(), seen.size(), "groups before the bad one all verified, none after");
            } catch (MalformedRangeResponseException e) {
                // a flipped wire length can shift the item boundaries so the stream ends early or runs on
                assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.TRAILING_BYTES, e.toString());
            }
        }
        assertTrue(caught > 250, "caught " + caught);
        assertTrue(response.length < raw.length);
    }

    @Test
    void truncationAtAnyPointIsTyped() throws Exception {
        byte[] message = data(3 * G + 10, 9);
        ArraySource src = new ArraySource(message);
        RangeRequest req = new RangeRequest(src.hash(), 0, 4, 0);
        byte[] response = encode(src, req, new Random(3));
        for (int cut = 0; cut < response.length; cut += cut < 200 ? 1 : 301) {
            VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { });
            dec.feed(ByteBuffer.wrap(response, 0, cut));
            MalformedRangeResponseException e = assertThrows(MalformedRangeResponseException.class, dec::finish);
            assertEquals(Reason.TRUNCATED, e.reason());
        }
    }

    @Test
    void extraBytesOrMoreGroupsThanAskedAreRefused() throws Exception {
        byte[] message = data(6 * G, 11);
        ArraySource src = new ArraySource(message);
        RangeRequest req = new RangeRequest(src.hash(), 0, 2, 0);
        byte[] response = encode(src, req, new Random(4));
        byte[] longer = Arrays.copyOf(response, response.length + 1);
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { });
        MalformedRangeResponseException e = assertThrows(MalformedRangeResponseException.class,
                () -> dec.feed(ByteBuffer.wrap(longer)));
        assertEquals(Reason.TRAILING_BYTES, e.reason());

        RangeRequest bigger = new RangeRequest(src.hash(), 0, 3, 0);
        byte[] tooMuch = encode(src, bigger, new Random(4));
        VerifiedRangeDecoder dec2 = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { });
        assertThrows(dev.quiver.codec.wire.ProtocolException.class, () -> {
            dec2.feed(ByteBuffer.wrap(tooMuch));
            dec2.finish();
        });
    }

    @Test
    void aLyingLengthIsCaughtByTheLastGroupOrTheKnownLength() throws Exception {
        byte[] message = data(5 * G, 13);
        ArraySource honest = new ArraySource(message);
        // The liar serves a 6-group blob's tree shape but claims the honest hash.
        ArraySource bigger = new ArraySource(Arrays.copyOf(message, 6 * G));
        RangeSource liar = new LyingSource(honest.hash(), bigger);
        RangeRequest req = new RangeRequest(honest.hash(), 0, 1, RangeRequest.FLAG_PROVE_LENGTH);
        byte[] response = encode(liar, req, new Random(5));
        assertThrows(CorruptGroupException.class, () -> decode(response, req, -1, new Random(6), null));
        MalformedRangeResponseException e = assertThrows(MalformedRangeResponseException.class,
                () -> decode(response, req, 5 * G, new Random(6), null));
        assertEquals(Reason.LENGTH_MISMATCH, e.reason());
    }

    @Test
    void absurdLengthsAndStatusesAreTypedWithoutAllocation() throws Exception {
        BlobHash h = new BlobHash(new byte[32]);
        RangeRequest req = new RangeRequest(h, 0, 1, 0);
        // status OK, varint 2^62 - 1: way over the cap
        byte[] huge = {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF};
        MalformedRangeResponseException e = assertThrows(MalformedRangeResponseException.class,
                () -> new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { }).feed(ByteBuffer.wrap(huge)));
        assertEquals(Reason.LENGTH_TOO_LARGE, e.reason());
        MalformedRangeResponseException s = assertThrows(MalformedRangeResponseException.class,
                () -> new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { }).feed(ByteBuffer.wrap(new byte[] {7})));
        assertEquals(Reason.UNKNOWN_STATUS, s.reason());
        RangeRefusedException nf = assertThrows(RangeRefusedException.class,
                () -> new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { })
                        .feed(ByteBuffer.wrap(RangeEncoder.notFound())));
        assertEquals(RangeStatus.NOT_FOUND, nf.status());
        // A maximal claimed length with a one-group range: the decoder only keeps its fixed buffers.
        byte[] max = {0, (byte) 0xC0, 0, 1, 0, 0, 0, 0, 0};
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> { });
        dec.feed(ByteBuffer.wrap(max));
        assertEquals(BlobLimits.MAX_BLOB_LENGTH, dec.length());
        assertThrows(CorruptGroupException.class, () -> dec.feed(ByteBuffer.wrap(new byte[64])));
        Random rnd = new Random(8);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[rnd.nextInt(200)];
            rnd.nextBytes(garbage);
            VerifiedRangeDecoder d = new VerifiedRangeDecoder(req, -1, (g, o, b, off, l) -> fail("verified garbage"));
            try {
                d.feed(ByteBuffer.wrap(garbage));
                d.finish();
                fail("garbage accepted");
            } catch (dev.quiver.codec.wire.ProtocolException | RangeRefusedException expected) {
                // typed refusal
            }
        }
    }

    @Test
    void startPastTheEndIsNotSatisfiable() throws Exception {
        ArraySource src = new ArraySource(data(2 * G, 1));
        RangeRequest req = new RangeRequest(src.hash(), 2, 1, 0);
        byte[] response = encode(src, req, new Random(1));
        RangeRefusedException e = assertThrows(RangeRefusedException.class,
                () -> decode(response, req, -1, new Random(1), null));
        assertEquals(RangeStatus.RANGE_NOT_SATISFIABLE, e.status());
        assertEquals(2 * G, e.claimedLength());
    }

    @Test
    void requestRoundTripsAndGarbageIsTyped() throws Exception {
        RangeRequest req = new RangeRequest(new BlobHash(data(32, 1)), 123_456, 65_536, RangeRequest.FLAG_PROVE_LENGTH);
        assertEquals(req, RangeRequest.decode(dev.quiver.codec.wire.WireReader.of(req.toBytes())));
        byte[] bytes = req.toBytes();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            assertThrows(dev.quiver.codec.wire.ProtocolException.class,
                    () -> RangeRequest.decode(dev.quiver.codec.wire.WireReader.of(part)));
        }
        byte[] zeroCount = Arrays.copyOf(bytes, bytes.length);
        ByteBuffer b = ByteBuffer.allocate(64).put(new byte[32]).put((byte) 0).put((byte) 0).put((byte) 0);
        assertThrows(dev.quiver.codec.wire.ProtocolException.class,
                () -> RangeRequest.decode(dev.quiver.codec.wire.WireReader.of(Arrays.copyOf(b.array(), 35))));
        assertEquals(bytes.length, zeroCount.length);
        ByteBuffer tooMany = ByteBuffer.allocate(64).put(new byte[32]).put((byte) 0).put((byte) 0x80).put((byte) 1)
                .put((byte) 0).put((byte) 1).put((byte) 0);
        assertThrows(dev.quiver.codec.wire.ProtocolException.class,
                () -> RangeRequest.decode(dev.quiver.codec.wire.WireReader.of(Arrays.copyOf(tooMany.array(), 38))));
        ByteBuffer badFlags = ByteBuffer.allocate(64).put(new byte[32]).put((byte) 0).put((byte) 1).put((byte) 4);
        assertThrows(dev.quiver.codec.wire.ProtocolException.class,
                () -> RangeRequest.decode(dev.quiver.codec.wire.WireReader.of(Arrays.copyOf(badFlags.array(), 35))));
    }

    /** Serves {@code inner}'s bytes and tree under another hash: a provider that lies about the length. */
    private record LyingSource(BlobHash hash, RangeSource inner) implements RangeSource {
        @Override
        public long length() {
            return inner.length();
        }

        @Override
        public void readData(long offset, byte[] dst, int off, int len) throws IOException {
            inner.readData(offset, dst, off, len);
        }

        @Override
        public void readParent(long index, byte[] dst, int off) throws IOException {
            inner.readParent(index, dst, off);
        }

        @Override
        public void close() {
        }
    }
}
