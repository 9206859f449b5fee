package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The address-update control frame: layout, caps, and refusal of malformed entries. */
class AddressUpdateTest {
    private static final FrameCodec CODEC = new FrameCodec(new FrameLimits(4096, 64, 256, 16));

    /** A random valid update (also used by {@link FrameCodecTest}'s round-trip and fuzz tests). */
    static AddressUpdate randomUpdate(SplittableRandom rnd) {
        List<AddressUpdate.Entry> entries = new ArrayList<>();
        for (int i = rnd.nextInt(AddressUpdate.MAX_ENTRIES + 1); i > 0; i--) {
            AddressUpdate.Kind kind = AddressUpdate.Kind.values()[rnd.nextInt(3)];
            byte[] ip = new byte[rnd.nextBoolean() ? 4 : 16];
            rnd.nextBytes(ip);
            byte[] relay = new byte[kind == AddressUpdate.Kind.RELAY ? AddressUpdate.NODE_ID_BYTES : 0];
            rnd.nextBytes(relay);
            entries.add(new AddressUpdate.Entry(kind, ip, rnd.nextInt(0x10000), relay));
        }
        return new AddressUpdate(FrameCodecTest.varint(rnd), entries);
    }

    @Test
    @Timeout(5)
    void wireLayoutIsAsDocumented() throws ProtocolException {
        byte[] relayId = new byte[32];
        relayId[31] = 7;
        AddressUpdate update = new AddressUpdate(5, List.of(
                new AddressUpdate.Entry(AddressUpdate.Kind.RELAY, new byte[] {10, 0, 0, 1}, 4433, relayId),
                new AddressUpdate.Entry(AddressUpdate.Kind.DIRECT, new byte[] {(byte) 192, (byte) 168, 1, 2}, 80,
                        new byte[0])));
        String hex = "0d"            // type ADDRESS_UPDATE
                + "32"               // body length 50
                + "05"               // sequence 5
                + "02"               // two entries
                + "00" + "04" + "0a000001" + "1151"       // RELAY, 4-byte ip 10.0.0.1, port 4433
                + "00".repeat(31) + "07"                  // relay node ID
                + "01" + "04" + "c0a80102" + "0050";      // DIRECT, 192.168.1.2, port 80
        byte[] wire = FrameCodec.encode(update);
        assertEquals(hex, HexFormat.of().formatHex(wire));
        assertEquals(update, CODEC.decode(ByteBuffer.wrap(wire)));
        assertArrayEquals(relayId, ((AddressUpdate) CODEC.decode(ByteBuffer.wrap(wire))).entries().get(0)
                .relayNodeId());
    }

    @Test
    @Timeout(5)
    void tooManyEntriesAreRefusedBeforeReadingThem() {
        byte[] body = {0x01, (byte) (AddressUpdate.MAX_ENTRIES + 1)};
        ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.decode(frame(body)));
        assertEquals(ProtocolError.FRAME_ENCODING, e.error());
    }

    @Test
    @Timeout(5)
    void aBodyLongerThanTheCapIsRefusedFromItsLengthAlone() {
        int over = AddressUpdate.MAX_BODY_LENGTH + 1;
        ByteBuffer prefix = ByteBuffer.allocate(3).put((byte) FrameType.ADDRESS_UPDATE)
                .putShort((short) (0x4000 | over)).flip();
        ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.tryDecode(prefix));
        assertEquals(ProtocolError.FRAME_TOO_LARGE, e.error());
    }

    @Test
    @Timeout(5)
    void badKindsAndIpLengthsAndShortEntriesAreRefused() {
        byte[][] bodies = {
            {0x01, 0x01, 0x03, 0x04, 1, 2, 3, 4, 0, 80},            // kind 3 does not exist
            {0x01, 0x01, 0x01, 0x05, 1, 2, 3, 4, 5, 0, 80},         // 5-byte ip
            {0x01, 0x01, 0x01, 0x04, 1, 2, 3, 4, 0},                // port cut short
            {0x01, 0x01, 0x00, 0x04, 1, 2, 3, 4, 0, 80, 1, 2, 3},   // relay node ID cut short
        };
        for (byte[] body : bodies) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.decode(frame(body)),
                    HexFormat.of().formatHex(body));
            assertEquals(ProtocolError.FRAME_ENCODING, e.error(), HexFormat.of().formatHex(body));
        }
    }

    @Test
    @Timeout(5)
    void entriesRefuseInvalidFieldsWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new AddressUpdate.Entry(AddressUpdate.Kind.RELAY,
                new byte[4], 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new AddressUpdate.Entry(AddressUpdate.Kind.DIRECT,
                new byte[4], 70_000, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new AddressUpdate(0, java.util.Collections.nCopies(
                AddressUpdate.MAX_ENTRIES + 1, new AddressUpdate.Entry(AddressUpdate.Kind.DIRECT, new byte[4], 1,
                        new byte[0]))));
    }

    private static ByteBuffer frame(byte[] body) {
        return ByteBuffer.allocate(2 + body.length).put((byte) FrameType.ADDRESS_UPDATE).put((byte) body.length)
                .put(body).flip();
    }
}
