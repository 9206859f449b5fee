package dev.quiver.transport.session;

import dev.quiver.codec.frame.FrameCodec;
import dev.quiver.codec.frame.FrameLimits;
import dev.quiver.codec.frame.StreamData;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive loop's StreamData header parser against the frame codec: same fields, same errors. */
@Timeout(20)
class StreamDataHeaderTest {

    private static final int MAX_PAYLOAD = 4096;
    private static final FrameCodec CODEC = new FrameCodec(new FrameLimits(MAX_PAYLOAD, 64, 1024, 64));
    private static final StreamId CARRIER = StreamId.blob(77);

    @Test
    void everyPrefixOfAValidFrameWaitsUntilTheHeaderIsCompleteThenGivesTheCodecsFields() throws ProtocolException {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int round = 0; round < 300; round++) {
            int len = round % 10 == 0 ? 0 : rnd.nextInt(MAX_PAYLOAD + 1);
            long offset = switch (round % 3) {
                case 0 -> rnd.nextLong(64);
                case 1 -> rnd.nextLong(1L << 30);
                default -> Varint.MAX_VALUE - len - rnd.nextLong(100);
            };
            boolean fin = rnd.nextBoolean();
            boolean more = !fin && rnd.nextBoolean();
            byte[] wire = FrameCodec.encode(new StreamData(CARRIER, offset, fin, more, ByteBuffer.allocate(len)));
            int headerBytes = StreamData.headerLength(offset, len);
            for (int prefix = 1; prefix <= wire.length; prefix++) {
                ByteBuf in = Unpooled.wrappedBuffer(wire, 0, prefix);
                StreamDataHeader h = new StreamDataHeader();
                boolean done = h.parse(in, CARRIER, MAX_PAYLOAD);
                assertEquals(prefix >= headerBytes, done, "prefix " + prefix + " of a " + headerBytes + "-byte header");
                if (done) {
                    assertEquals(headerBytes, in.readerIndex());
                    assertEquals(offset, h.offset);
                    assertEquals(len, h.payloadBytes);
                    assertEquals(fin, h.fin);
                    assertEquals(more, h.more);
                } else {
                    assertEquals(0, in.readerIndex(), "nothing consumed while waiting");
                }
                if (prefix == headerBytes + 2 && len > 8) {
                    prefix = wire.length - 1; // the payload bytes change nothing; jump to the end
                }
            }
        }
    }

    @Test
    void malformedHeadersFailWithTheCodecsErrorCodes() {
        String foreign = String.format("%016x", StreamId.blob(5).raw());
        String carrier = String.format("%016x", CARRIER.raw());
        assertSame(ProtocolError.PROTOCOL_VIOLATION, "06" + "0a" + foreign + "00" + "aa");
        assertSame(ProtocolError.STREAM_ID_INVALID, "06" + "0a" + "0000000000000000" + "00" + "aa");
        assertSame(ProtocolError.FRAME_TOO_LARGE, "06" + "bfffffffffffffff" + carrier + "00");
        assertSame(ProtocolError.FRAME_ENCODING, "07" + "05" + carrier.substring(0, 10));
        assertSame(ProtocolError.FRAME_ENCODING, "07" + "0a" + carrier + "c0"); // an 8-byte offset in 2 bytes
        // Offset 2^62 - 1 with 4 payload bytes: past the last stream offset.
        assertSame(ProtocolError.FRAME_ENCODING, "06" + "14" + carrier + "ffffffffffffffff" + "aabbccdd");
        int tooBig = 8 + 1 + MAX_PAYLOAD + 1; // within the length cap (8-byte offsets), payload one past the cap
        assertSame(ProtocolError.FRAME_TOO_LARGE, "06" + String.format("%04x", 0x4000 | tooBig) + carrier + "00"
                + "00".repeat(MAX_PAYLOAD + 1));
    }

    /** The parser fails with {@code expected}; so does the codec unless only the carrier check catches it. */
    private static void assertSame(ProtocolError expected, String hex) {
        byte[] wire = HexFormat.of().parseHex(hex);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new StreamDataHeader().parse(Unpooled.wrappedBuffer(wire), CARRIER, MAX_PAYLOAD), hex);
        assertEquals(expected, e.error(), hex + ": " + e.getMessage());
        if (expected != ProtocolError.PROTOCOL_VIOLATION) {
            assertEquals(expected, assertThrows(ProtocolException.class,
                    () -> CODEC.decode(ByteBuffer.wrap(wire)), hex).error(), "codec on " + hex);
        }
    }

    @Test
    void randomBytesAfterAStreamDataTypeFailLikeTheCodecOrParseLikeIt() {
        SplittableRandom rnd = new SplittableRandom(11);
        int parsed = 0;
        for (int round = 0; round < 20000; round++) {
            byte[] wire = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(wire);
            wire[0] = (byte) new int[] {0x06, 0x07, 0x0E}[rnd.nextInt(3)];
            if (rnd.nextInt(4) == 0 && wire.length > 10) {
                wire[1] = (byte) (9 + rnd.nextInt(30)); // plausible length
                System.arraycopy(HexFormat.of().parseHex(String.format("%016x", CARRIER.raw())), 0, wire, 2,
                        Math.min(8, wire.length - 2));
            }
            ProtocolError codecError = null;
            StreamData frame = null;
            try {
                frame = (StreamData) CODEC.tryDecode(ByteBuffer.wrap(wire));
            } catch (ProtocolException e) {
                codecError = e.error();
            }
            StreamDataHeader h = new StreamDataHeader();
            try {
                boolean done = h.parse(Unpooled.wrappedBuffer(wire), CARRIER, MAX_PAYLOAD);
                assertTrue(codecError == null, "the codec refused what the parser took: " + HexFormat.of()
                        .formatHex(wire));
                if (frame != null) {
                    assertTrue(done);
                    assertEquals(frame.offset(), h.offset);
                    assertEquals(frame.length(), h.payloadBytes);
                    assertEquals(frame.fin(), h.fin);
                    assertEquals(frame.more(), h.more);
                    parsed++;
                }
            } catch (ProtocolException e) {
                if (codecError != null) {
                    assertEquals(codecError, e.error(), HexFormat.of().formatHex(wire));
                } else {
                    assertFalse(frame != null && frame.id().equals(CARRIER),
                            "refused a frame the codec decoded: " + HexFormat.of().formatHex(wire));
                }
            }
        }
        assertTrue(parsed > 100, "some random frames must be whole and valid: " + parsed);
    }
}
