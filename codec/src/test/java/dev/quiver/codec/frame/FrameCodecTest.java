package dev.quiver.codec.frame;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(60)
class FrameCodecTest {

    private static final FrameLimits LIMITS = new FrameLimits(4096, 64, 256, 16);
    private static final FrameCodec CODEC = new FrameCodec(LIMITS);

    /** Exhaustive over the sealed interface: a new frame type fails compilation here until the tests cover it. */
    private static String kindOf(Frame f) {
        return switch (f) {
            case Ping p -> "ping";
            case Pong p -> "pong";
            case Close c -> "close";
            case Settings s -> "settings";
            case StreamOpen o -> "open";
            case StreamData d -> "data";
            case AckRanges a -> "ack";
            case MaxStreamData m -> "max";
            case StreamReset r -> "reset";
            case StopSending s -> "stop";
            case PathStatus p -> "path";
            case AddressUpdate a -> "addresses";
        };
    }

    static StreamId randomId(SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> StreamId.control();
            case 1 -> StreamId.channel("ch" + rnd.nextInt(1000));
            case 2 -> StreamId.blob(rnd.nextLong() & StreamId.MAX_NONCE);
            case 3 -> StreamId.relay(rnd.nextLong() & StreamId.MAX_NONCE);
            default -> StreamId.subprotocol(1 + rnd.nextInt(0xFFFF));
        };
    }

    static long varint(SplittableRandom rnd) {
        return rnd.nextLong() >>> (2 + rnd.nextInt(62));
    }

    static Frame randomFrame(SplittableRandom rnd, int which) {
        return switch (which % 12) {
            case 0 -> new Ping(rnd.nextLong());
            case 1 -> new Pong(rnd.nextLong());
            case 2 -> {
                char[] reason = new char[rnd.nextInt(60)];
                for (int i = 0; i < reason.length; i++) {
                    reason[i] = (char) (rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 0x3B1 + rnd.nextInt(20));
                }
                yield new Close(varint(rnd), new String(reason));
            }
            case 3 -> {
                long token = rnd.nextBoolean() ? 0 : 1 + (varint(rnd) >>> 1);
                yield new Settings(varint(rnd), 1 + rnd.nextInt(LIMITS.maxPayloadBytes()), token,
                        token != 0 && rnd.nextBoolean());
            }
            case 4 -> new StreamOpen(randomId(rnd), PriorityClass.values()[rnd.nextInt(3)],
                    1 + rnd.nextInt(StreamOpen.MAX_WEIGHT), rnd.nextBoolean());
            case 5 -> {
                byte[] payload = new byte[rnd.nextInt(LIMITS.maxPayloadBytes() + 1)];
                rnd.nextBytes(payload);
                long offset = varint(rnd) >>> 1;
                boolean fin = rnd.nextBoolean();
                yield new StreamData(randomId(rnd), offset, fin, !fin && rnd.nextBoolean(), ByteBuffer.wrap(payload));
            }
            case 6 -> {
                List<AckRanges.Range> ranges = new ArrayList<>();
                long at = rnd.nextInt(1 << 20);
                for (int i = 1 + rnd.nextInt(LIMITS.maxAckRanges()); i > 0; i--) {
                    long len = 1 + rnd.nextInt(1 << 16);
                    ranges.add(new AckRanges.Range(at, at + len));
                    at += len + 1 + rnd.nextInt(1 << 12);
                }
                yield new AckRanges(randomId(rnd), ranges);
            }
            case 7 -> new MaxStreamData(randomId(rnd), varint(rnd));
            case 8 -> new StreamReset(randomId(rnd), varint(rnd), varint(rnd));
            case 9 -> new StopSending(randomId(rnd), varint(rnd));
            case 10 -> new PathStatus(varint(rnd), varint(rnd),
                    PathStatus.Status.values()[rnd.nextInt(PathStatus.Status.values().length)]);
            default -> AddressUpdateTest.randomUpdate(rnd);
        };
    }

    @Test
    void randomFramesRoundTripAndCoverEveryType() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(3);
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            Frame f = randomFrame(rnd, i);
            kinds.add(kindOf(f));
            byte[] wire = FrameCodec.encode(f);
            assertEquals(FrameCodec.encodedLength(f), wire.length);
            ByteBuffer in = ByteBuffer.wrap(wire);
            assertEquals(f, CODEC.decode(in));
            assertEquals(0, in.remaining());
        }
        assertEquals(Frame.class.getPermittedSubclasses().length, kinds.size());
    }

    @Test
    void everyTruncationIsIncompleteNeverAnotherError() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < 220; i++) {
            byte[] wire = FrameCodec.encode(randomFrame(rnd, i));
            for (int n = 0; n < wire.length; n++) {
                ByteBuffer cut = ByteBuffer.wrap(wire, 0, n);
                assertNull(CODEC.tryDecode(cut), "prefix " + n + " of " + wire.length);
                assertEquals(0, cut.position(), "tryDecode must not consume a partial frame");
                int len = n;
                ProtocolException e = assertThrows(ProtocolException.class,
                        () -> CODEC.decode(ByteBuffer.wrap(wire, 0, len)));
                assertEquals(ProtocolError.FRAME_ENCODING, e.error());
            }
        }
    }

    @Test
    void streamOfFramesDecodesUnderAnyChunking() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Frame> sent = new ArrayList<>();
        ByteBuffer all = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 300; i++) {
            Frame f = randomFrame(rnd, rnd.nextInt(12));
            sent.add(f);
            FrameCodec.encode(f, all);
        }
        all.flip();
        // Feed the bytes in random pieces through an accumulation buffer, as a QUIC stream reader would.
        ByteBuffer acc = ByteBuffer.allocate(1 << 20);
        List<Frame> got = new ArrayList<>();
        while (all.hasRemaining()) {
            int n = Math.min(all.remaining(), 1 + rnd.nextInt(700));
            acc.put(all.slice(all.position(), n));
            all.position(all.position() + n);
            acc.flip();
            Frame f;
            while ((f = CODEC.tryDecode(acc)) != null) {
                got.add(copyPayload(f));
            }
            acc.compact();
        }
        assertEquals(sent, got);
    }

    /** StreamData payloads are views of the input buffer; copy before the buffer is reused (as the API says). */
    private static Frame copyPayload(Frame f) {
        if (f instanceof StreamData d) {
            ByteBuffer copy = ByteBuffer.allocate(d.length()).put(d.payload()).flip();
            return new StreamData(d.id(), d.offset(), d.fin(), d.more(), copy);
        }
        return f;
    }

    @Test
    void randomGarbageOnlyEverThrowsProtocolException() {
        SplittableRandom rnd = new SplittableRandom(6);
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] junk = new byte[rnd.nextInt(64)];
            rnd.nextBytes(junk);
            if (junk.length > 0 && rnd.nextBoolean()) {
                junk[0] = (byte) (1 + rnd.nextInt(13)); // a known type, so the bodies get exercised too
            }
            refused += decodeGarbage(junk);
        }
        assertTrue(refused > 50_000, "most garbage must be refused, refused " + refused);
    }

    @Test
    void mutatedValidFramesOnlyEverThrowProtocolException() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] wire = FrameCodec.encode(randomFrame(rnd, i));
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
                wire[rnd.nextInt(wire.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            decodeGarbage(wire);
        }
    }

    /** Decodes and returns 1 if refused; fails the test on anything but ProtocolException. */
    private static int decodeGarbage(byte[] junk) {
        try {
            ByteBuffer in = ByteBuffer.wrap(junk);
            Frame f = CODEC.decode(in);
            // Whatever parsed must re-encode to exactly the bytes it consumed (canonical or not, same meaning).
            assertEquals(f, CODEC.decode(ByteBuffer.wrap(FrameCodec.encode(f))));
            return 0;
        } catch (ProtocolException e) {
            return 1;
        } catch (Throwable t) {
            fail("garbage " + HexFormat.of().formatHex(junk) + " threw " + t, t);
            return 1;
        }
    }

    @Test
    void hugeLengthsFailFastWithoutAllocating() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String max = "ffffffffffffffff"; // varint 2^62 - 1
        String[] attacks = {
            "06" + max,                                        // StreamData body length 2^62 - 1
            "07" + "bfffffff",                                 // StreamData FIN body 2^30 - 1, no bytes yet
            "03" + "0a" + "00" + max + "00",                   // Close body 10: reason length 2^62 - 1
            "08" + "10" + "2000000000000001" + max,            // AckRanges body 16: count 2^62 - 1
            "04" + "08" + max,                                 // Settings body 8: count 2^62 - 1
        };
        for (String hex : attacks) {
            // Warm up first so class loading and message formatting are not counted.
            assertThrows(ProtocolException.class, () -> CODEC.tryDecode(ByteBuffer.wrap(HexFormat.of().parseHex(hex))));
        }
        for (String hex : attacks) {
            byte[] wire = HexFormat.of().parseHex(hex);
            long before = mx.getCurrentThreadAllocatedBytes();
            ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.tryDecode(ByteBuffer.wrap(wire)),
                    hex);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(e.error() == ProtocolError.FRAME_TOO_LARGE || e.error() == ProtocolError.FRAME_ENCODING,
                    hex + " -> " + e);
            // The exception itself and its message cost a few KiB; anything near the claimed size would be GiBs.
            assertTrue(allocated < 64 << 10, hex + " allocated " + allocated + " bytes");
        }
    }

    @Test
    void oversizedFrameIsRefusedBeforeItsBodyArrives() {
        // StreamData announcing a body one byte over the cap: refused from the 3-byte prefix alone.
        int over = 8 + 8 + LIMITS.maxPayloadBytes() + 1;
        ByteBuffer prefix = ByteBuffer.allocate(3).put((byte) FrameType.STREAM_DATA)
                .putShort((short) (0x4000 | over)).flip();
        ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.tryDecode(prefix));
        assertEquals(ProtocolError.FRAME_TOO_LARGE, e.error());
    }

    @Test
    void unknownTypesAreRefused() {
        for (int t : new int[] {0x00, 0x0F, 0x3F}) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> CODEC.decode(ByteBuffer.wrap(new byte[] {(byte) t, 0})));
            assertEquals(ProtocolError.FRAME_UNKNOWN_TYPE, e.error());
        }
        ProtocolException twoByte = assertThrows(ProtocolException.class,
                () -> CODEC.decode(ByteBuffer.wrap(new byte[] {0x40, 0x40, 0})));
        assertEquals(ProtocolError.FRAME_UNKNOWN_TYPE, twoByte.error());
        ProtocolException nonMinimal = assertThrows(ProtocolException.class,
                () -> CODEC.decode(ByteBuffer.wrap(new byte[] {0x40, 0x01, 0})));
        assertEquals(ProtocolError.FRAME_ENCODING, nonMinimal.error());
    }

    @Test
    void streamDataWireLayout() throws ProtocolException {
        byte[] wire = HexFormat.of().parseHex(
                "07"                 // type STREAM_DATA_FIN
                + "0d"               // body length 13
                + "2000000000000005" // stream id: blob, nonce 5
                + "4100"             // offset 256 (2-byte varint)
                + "abcdef");         // payload
        StreamData d = (StreamData) CODEC.decode(ByteBuffer.wrap(wire));
        assertEquals(StreamId.blob(5), d.id());
        assertEquals(256, d.offset());
        assertTrue(d.fin());
        assertEquals(ByteBuffer.wrap(new byte[] {(byte) 0xab, (byte) 0xcd, (byte) 0xef}), d.payload());
        assertArrayEquals(wire, FrameCodec.encode(d));
        ByteBuffer header = ByteBuffer.allocate(StreamData.headerLength(256, 3));
        StreamData.encodeHeader(new dev.quiver.codec.wire.WireWriter(header), StreamId.blob(5), 256, true, false,
                3);
        assertArrayEquals(Arrays.copyOf(wire, wire.length - 3), header.array());
    }

    @Test
    void streamDataMoreIsItsOwnTypeAndNeverWithFin() throws ProtocolException {
        byte[] wire = HexFormat.of().parseHex("0e" + "0c" + "2000000000000005" + "00" + "abcdef");
        StreamData d = (StreamData) CODEC.decode(ByteBuffer.wrap(wire));
        assertTrue(d.more());
        assertFalse(d.fin());
        assertEquals(FrameType.STREAM_DATA_MORE, d.type());
        assertArrayEquals(wire, FrameCodec.encode(d));
        assertFalse(((StreamData) CODEC.decode(ByteBuffer.wrap(FrameCodec.encode(
                new StreamData(StreamId.blob(5), 0, false, ByteBuffer.allocate(1)))))).more());
        assertThrows(IllegalArgumentException.class,
                () -> new StreamData(StreamId.blob(5), 0, true, true, ByteBuffer.allocate(1)));
        assertThrows(IllegalArgumentException.class, () -> StreamData.encodeHeader(
                new dev.quiver.codec.wire.WireWriter(ByteBuffer.allocate(32)), StreamId.blob(5), 0, true, true, 1));
    }

    @Test
    void ackRangesWireLayoutAndRules() throws ProtocolException {
        AckRanges a = new AckRanges(StreamId.subprotocol(0x1100),
                List.of(new AckRanges.Range(0, 100), new AckRanges.Range(150, 151)));
        byte[] wire = HexFormat.of().parseHex(
                "08" + "0e"          // type ACK_RANGES, body length 14
                + "0000000000001100" // stream id: subprotocol 0x1100
                + "02"               // two ranges
                + "00" + "4064"      // start 0, length 100
                + "32" + "01");      // gap 50, length 1
        assertArrayEquals(wire, FrameCodec.encode(a));
        assertEquals(a, CODEC.decode(ByteBuffer.wrap(wire)));
        byte[] touching = wire.clone();
        touching[wire.length - 2] = 0; // gap 0: ranges would touch
        assertEquals(ProtocolError.FRAME_ENCODING,
                assertThrows(ProtocolException.class, () -> CODEC.decode(ByteBuffer.wrap(touching))).error());
        assertThrows(IllegalArgumentException.class, () -> new AckRanges(StreamId.control(),
                List.of(new AckRanges.Range(0, 10), new AckRanges.Range(10, 20))));
    }

    @Test
    void ackRangesOwnTheirBoundsArrayAndRefuseMalformedOnes() throws ProtocolException {
        long[] bounds = {0, 100, 150, 151};
        AckRanges a = new AckRanges(StreamId.subprotocol(0x1100), bounds);
        assertSame(bounds, a.bounds(), "taken as it is, no copy");
        assertEquals(2, a.count());
        assertEquals(150, a.start(1));
        assertEquals(151, a.end(1));
        assertEquals(List.of(new AckRanges.Range(0, 100), new AckRanges.Range(150, 151)), a.ranges());
        AckRanges decoded = (AckRanges) CODEC.decode(ByteBuffer.wrap(FrameCodec.encode(a)));
        assertArrayEquals(bounds, decoded.bounds());
        assertEquals(a.hashCode(), decoded.hashCode());
        for (long[] bad : new long[][] {{}, {0}, {5, 5}, {-1, 3}, {0, 10, 10, 20}, {20, 30, 0, 10},
                {0, AckRanges.MAX_END + 1}}) {
            assertThrows(IllegalArgumentException.class, () -> new AckRanges(StreamId.control(), bad),
                    Arrays.toString(bad));
        }
    }

    @Test
    void longCloseReasonsAreCutAtACharacterBoundary() throws ProtocolException {
        String reason = "x" + "\u00e9".repeat(300); // 1 + 600 UTF-8 bytes
        Close c = Close.truncated(ProtocolError.INTERNAL.code(), reason, LIMITS.maxReasonBytes());
        int bytes = c.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertEquals(255, bytes, "256 would split a two-byte character");
        assertTrue(reason.startsWith(c.reason()));
        assertEquals(c, CODEC.decode(ByteBuffer.wrap(FrameCodec.encode(c))));
        assertEquals("short", Close.truncated(0, "short", 10).reason());
    }

    @Test
    void invalidStreamIdInsideFrameIsStreamIdInvalid() {
        byte[] wire = HexFormat.of().parseHex("09" + "09" + "0000000000000000" + "00"); // MaxStreamData id 0
        assertEquals(ProtocolError.STREAM_ID_INVALID,
                assertThrows(ProtocolException.class, () -> CODEC.decode(ByteBuffer.wrap(wire))).error());
    }

    @Test
    void trailingBytesInBodyAreRefused() {
        // StopSending with one byte more than its fields (within the type's cap, so the trailing byte is the error).
        byte[] wire = HexFormat.of().parseHex("0b" + "0a" + "2000000000000001" + "00" + "ff");
        assertEquals(ProtocolError.FRAME_ENCODING,
                assertThrows(ProtocolException.class, () -> CODEC.decode(ByteBuffer.wrap(wire))).error());
        assertEquals(Varint.MAX_VALUE, new MaxStreamData(StreamId.control(), Varint.MAX_VALUE).maxOffset());
    }
}
