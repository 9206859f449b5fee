package dev.quiver.codec.stream;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class StreamIdTest {

    private static final long LOW48 = (1L << 48) - 1;

    /**
     * An independent statement of the rules, written as membership predicates, one per kind. The property test
     * checks that for every value at most one predicate holds and that {@code StreamId} agrees with them.
     */
    private static boolean isControl(long v) {
        return v == -1L;
    }

    private static boolean isChannel(long v) {
        return bit(v, 48) && (v >>> 49) == 0;
    }

    private static boolean isBlob(long v) {
        return bit(v, 61) && !bit(v, 48) && (v & ~LOW48 & ~(1L << 61)) == 0;
    }

    private static boolean isRelay(long v) {
        return bit(v, 60) && !bit(v, 61) && !bit(v, 48) && (v & ~LOW48 & ~(1L << 60)) == 0;
    }

    private static boolean isSubprotocol(long v) {
        return (v >>> 48) == 0 && (v & 0xFFFF) != 0; // service ID in bits 0-15, instance in bits 16-47
    }

    private static boolean bit(long v, int b) {
        return (v >>> b & 1) == 1;
    }

    private static StreamKind expected(long v) {
        int matches = 0;
        StreamKind k = null;
        if (isControl(v)) {
            matches++;
            k = StreamKind.CONTROL;
        }
        if (isChannel(v)) {
            matches++;
            k = StreamKind.CHANNEL;
        }
        if (isBlob(v)) {
            matches++;
            k = StreamKind.BLOB;
        }
        if (isRelay(v)) {
            matches++;
            k = StreamKind.RELAY;
        }
        if (isSubprotocol(v)) {
            matches++;
            k = StreamKind.SUBPROTOCOL;
        }
        assertTrue(matches <= 1, () -> String.format("kinds overlap at 0x%016x", v));
        return k;
    }

    private static void checkValue(long v, Map<StreamKind, Integer> seen) throws ProtocolException {
        StreamKind want = expected(v);
        assertEquals(want, StreamId.classify(v), () -> String.format("classify 0x%016x", v));
        if (want == null) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> StreamId.of(v));
            assertEquals(ProtocolError.STREAM_ID_INVALID, e.error());
            return;
        }
        StreamId id = StreamId.of(v);
        assertEquals(want, id.kind());
        assertEquals(v, id.raw());
        seen.merge(want, 1, Integer::sum);
        // Round trip through the kind's own factory.
        StreamId rebuilt = switch (want) {
            case CONTROL -> StreamId.control();
            case BLOB -> StreamId.blob(id.nonce());
            case RELAY -> StreamId.relay(id.nonce());
            case SUBPROTOCOL -> StreamId.subprotocol(id.subprotocolId(), id.subprotocolInstance());
            case CHANNEL -> id; // the hash has no inverse; the channel factory is checked separately
        };
        assertEquals(id, rebuilt);
        assertEquals(v, rebuilt.raw());
        // Round trip through the 8-byte header.
        ByteBuffer header = ByteBuffer.allocate(StreamHeader.LENGTH);
        StreamHeader.encode(id, header);
        header.flip();
        assertEquals(id, StreamHeader.decode(header));
    }

    @Test
    void everyRandomValueClassifiesToAtMostOneKind() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(42);
        Map<StreamKind, Integer> seen = new EnumMap<>(StreamKind.class);
        long[] tags = {0, 1L << 48, 1L << 60, 1L << 61, -1L, 1L << 62, 1L << 63, (1L << 60) | (1L << 61),
                (1L << 48) | (1L << 60), (1L << 48) | (1L << 61), 1L << 49, 1L << 59};
        for (int i = 0; i < 200_000; i++) {
            long v = rnd.nextLong();
            // Bias half the samples onto the interesting tag combinations with random low bits.
            if ((i & 1) == 0) {
                long low = switch (i % 6) {
                    case 0 -> rnd.nextLong() & LOW48;
                    case 2 -> rnd.nextLong() & 0xFFFF;
                    default -> rnd.nextLong() & 0xFF;
                };
                v = tags[rnd.nextInt(tags.length)] | low;
            }
            checkValue(v, seen);
        }
        for (StreamKind k : StreamKind.values()) {
            assertTrue(seen.getOrDefault(k, 0) > 0 || k == StreamKind.CONTROL, "no sample of " + k);
        }
    }

    @Test
    void edgeValues() throws ProtocolException {
        Map<StreamKind, Integer> seen = new EnumMap<>(StreamKind.class);
        for (int b = 0; b < 64; b++) {
            long one = 1L << b;
            for (long v : new long[] {one, one - 1, one + 1, ~one, -one, one | LOW48, one | 0xFFFF, one | 1}) {
                checkValue(v, seen);
            }
        }
        for (long v : new long[] {0, 1, 0xFFFF, 0x1_0000, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE,
                (1L << 48) | LOW48, (1L << 61) | LOW48, (1L << 60) | LOW48, 1L << 61, 1L << 60, 1L << 48}) {
            checkValue(v, seen);
        }
        assertEquals(5, seen.size(), "edges must hit every kind: " + seen);
        assertNull(StreamId.classify(0), "all-zero header is refused");
        assertNull(StreamId.classify(-2L), "control is exactly all ones");
        assertNull(StreamId.classify((1L << 48) | (1L << 61)), "channel with blob bit");
        assertNull(StreamId.classify((1L << 60) | (1L << 61)), "relay and blob bits together");
        assertNull(StreamId.classify(1L << 47), "untagged with service ID 0");
        assertEquals(StreamKind.SUBPROTOCOL, StreamId.classify((1L << 47) | 1), "untagged, instance and service");
    }

    @Test
    void factoriesRoundTripAndCheckRanges() throws ProtocolException {
        assertSame(StreamId.control(), StreamId.of(StreamId.CONTROL_RAW));
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, StreamId.control().raw());
        assertEquals(0x2000_0000_0000_0000L, StreamId.blob(0).raw());
        assertEquals(0x2000_FFFF_FFFF_FFFFL, StreamId.blob(StreamId.MAX_NONCE).raw());
        assertEquals(0x1000_0000_0000_002AL, StreamId.relay(42).raw());
        assertEquals(0x1100, StreamId.subprotocol(StreamId.BLOB_REQUEST).raw());
        assertEquals(StreamId.MAX_NONCE, StreamId.relay(StreamId.MAX_NONCE).nonce());
        assertThrows(IllegalArgumentException.class, () -> StreamId.blob(1L << 48));
        assertThrows(IllegalArgumentException.class, () -> StreamId.blob(-1));
        assertThrows(IllegalArgumentException.class, () -> StreamId.relay(1L << 48));
        assertThrows(IllegalArgumentException.class, () -> StreamId.subprotocol(0));
        assertThrows(IllegalArgumentException.class, () -> StreamId.subprotocol(0x1_0000));
        assertEquals(0x0000_0003_1100L, StreamId.subprotocol(StreamId.BLOB_REQUEST, 3).raw());
        assertEquals(StreamId.BLOB_REQUEST, StreamId.subprotocol(StreamId.BLOB_REQUEST, 3).subprotocolId());
        assertEquals(StreamId.MAX_SUBPROTOCOL_INSTANCE,
                StreamId.subprotocol(1, StreamId.MAX_SUBPROTOCOL_INSTANCE).subprotocolInstance());
        assertThrows(IllegalArgumentException.class, () -> StreamId.subprotocol(1, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> StreamId.subprotocol(1, -1));
        assertThrows(IllegalArgumentException.class, () -> StreamId.channel(""));
        assertThrows(IllegalStateException.class, () -> StreamId.control().nonce());
        assertThrows(IllegalStateException.class, () -> StreamId.subprotocol(1).nonce());
        assertThrows(IllegalStateException.class, () -> StreamId.blob(1).subprotocolId());
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long nonce = rnd.nextLong() & LOW48;
            assertEquals(nonce, StreamId.of(StreamId.blob(nonce).raw()).nonce());
            assertEquals(nonce, StreamId.of(StreamId.relay(nonce).raw()).nonce());
            assertNotEquals(StreamId.blob(nonce), StreamId.relay(nonce));
        }
    }

    @Test
    void channelIdsAreStableAndNamedByTheirHash() throws ProtocolException {
        StreamId a = StreamId.channel("news");
        assertEquals(StreamKind.CHANNEL, a.kind());
        assertEquals(a, StreamId.channel("news"));
        assertEquals(a, StreamId.of(a.raw()));
        assertNotEquals(a, StreamId.channel("News"));
        // Pinned against an independent BLAKE3 (BouncyCastle) derive-key: renaming every channel must be a
        // deliberate, visible decision.
        org.bouncycastle.crypto.digests.Blake3Digest bc = new org.bouncycastle.crypto.digests.Blake3Digest(48);
        bc.init(org.bouncycastle.crypto.params.Blake3Parameters.context(
                ChannelNameHash.CONTEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] name = "news".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bc.update(name, 0, name.length);
        byte[] out = new byte[6];
        bc.doFinal(out, 0, 6);
        long want = 0;
        for (byte b : out) {
            want = (want << 8) | (b & 0xFF);
        }
        assertEquals(want, a.nonce());
        // And against b3sum: printf news | b3sum --derive-key "quiver 2026-11-21 channel stream id"
        assertEquals(0x0904c34deb70L, a.nonce());
        assertEquals(String.format("channel/%012x", want), a.toString());
        assertEquals(0x0001_0000_0000_0000L, a.raw() & ~StreamId.NONCE_MASK);
    }

    @Test
    void headerNeedsEightBytesAndValidId() {
        ProtocolException cut = assertThrows(ProtocolException.class,
                () -> StreamHeader.decode(ByteBuffer.allocate(7)));
        assertEquals(ProtocolError.FRAME_ENCODING, cut.error());
        ProtocolException bad = assertThrows(ProtocolException.class,
                () -> StreamHeader.decode(ByteBuffer.allocate(8))); // all zeros
        assertEquals(ProtocolError.STREAM_ID_INVALID, bad.error());
    }
}
