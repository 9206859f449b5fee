package dev.quiver.codec.frame;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multipath additions to the wire: the session token and join flag in Settings, StreamOpen continuations. */
@Timeout(10)
class SessionJoinFramesTest {
    private static final FrameCodec CODEC = new FrameCodec(FrameLimits.DEFAULT);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void settingsWithTokenAndJoinHaveTheirLiteralBytes() throws ProtocolException {
        byte[] wire = hex("04"          // type Settings
                + "0b"                  // body length 11
                + "04"                  // 4 settings
                + "01 4400"             // initial credit 1024
                + "02 4100"             // max payload 256
                + "03 25"               // session token 0x25
                + "04 01");             // join
        Settings s = new Settings(1024, 256, 0x25, true);
        assertArrayEquals(wire, FrameCodec.encode(s));
        assertEquals(s, CODEC.decode(ByteBuffer.wrap(wire)));
    }

    @Test
    void settingsWithoutTokenKeepTheOldTwoEntryForm() throws ProtocolException {
        byte[] wire = hex("04 07 02 01 4400 02 4100");
        assertArrayEquals(wire, FrameCodec.encode(new Settings(1024, 256)));
        Settings decoded = (Settings) CODEC.decode(ByteBuffer.wrap(wire));
        assertEquals(0, decoded.sessionToken());
        assertFalse(decoded.join());
    }

    @Test
    void joinWithoutTokenOrWithAnOddValueIsRefused() {
        ProtocolException noToken = assertThrows(ProtocolException.class,
                () -> CODEC.decode(ByteBuffer.wrap(hex("04 08 03 01 4400 02 4100 04 01"))));
        assertEquals(ProtocolError.FRAME_ENCODING, noToken.error());
        ProtocolException two = assertThrows(ProtocolException.class,
                () -> CODEC.decode(ByteBuffer.wrap(hex("04 0a 04 01 4400 02 4100 03 07 04 02"))));
        assertEquals(ProtocolError.FRAME_ENCODING, two.error());
        assertThrows(IllegalArgumentException.class, () -> new Settings(1, 1, 0, true));
    }

    @Test
    void continuationIsTheHighBitOfThePriorityByte() throws ProtocolException {
        StreamId id = StreamId.subprotocol(0x2000);
        byte[] first = FrameCodec.encode(new StreamOpen(id, PriorityClass.BULK, 3));
        byte[] more = FrameCodec.encode(new StreamOpen(id, PriorityClass.BULK, 3).asContinuation());
        assertEquals(first.length, more.length);
        int priorityAt = 2 + 8; // type, length, 8-byte stream id
        assertEquals(PriorityClass.BULK.code(), first[priorityAt]);
        assertEquals(PriorityClass.BULK.code() | 0x80, more[priorityAt] & 0xFF);
        StreamOpen decoded = (StreamOpen) CODEC.decode(ByteBuffer.wrap(more));
        assertTrue(decoded.continuation());
        assertEquals(PriorityClass.BULK, decoded.priority());
        more[priorityAt] = (byte) 0xFF; // continuation bit plus an unknown class
        assertThrows(ProtocolException.class, () -> CODEC.decode(ByteBuffer.wrap(more)));
    }
}
