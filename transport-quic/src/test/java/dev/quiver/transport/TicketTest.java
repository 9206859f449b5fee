package dev.quiver.transport;

import dev.quiver.transport.TicketFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class TicketTest {
    private static final NodeId NODE = NodeId.of(bytes(32, 1));
    private static final NodeId RELAY = NodeId.of(bytes(32, 2));

    private static byte[] bytes(int length, int seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static Ticket full() throws Exception {
        return Ticket.of(NODE, List.of(address("192.0.2.7", 4433), address("2001:db8::1", 65535),
                        address("127.0.0.1", 1)),
                Optional.of(new RelayAddress(RELAY, address("198.51.100.9", 443))), Optional.of(bytes(32, 3)));
    }

    @Test
    void roundTripsThroughTextAndBytes() throws Exception {
        Ticket ticket = full();
        String text = ticket.toString();
        assertTrue(text.startsWith("qv") && text.equals(text.toLowerCase()) && !text.contains("="), text);
        Ticket parsed = Ticket.parse(text);
        assertEquals(ticket, parsed);
        assertEquals(ticket.directAddresses(), parsed.directAddresses());
        assertEquals(ticket.relay(), parsed.relay());
        assertArrayEquals(ticket.blobHash().orElseThrow(), parsed.blobHash().orElseThrow());
        assertEquals(ticket, Ticket.fromBytes(ticket.toBytes()));
        // Pasted with surrounding whitespace or shouted in upper case still parses.
        assertEquals(ticket, Ticket.parse("  " + text.toUpperCase() + "\n"));
    }

    @Test
    void aTicketSaysWhetherItsBlobIsRawOrACollection() throws Exception {
        Ticket raw = full();
        assertEquals(Optional.of(Ticket.BlobFormat.RAW), raw.blobFormat());
        Ticket collection = raw.withBlob(bytes(32, 4), Ticket.BlobFormat.COLLECTION);
        Ticket parsed = Ticket.parse(collection.toString());
        assertEquals(collection, parsed);
        assertEquals(Optional.of(Ticket.BlobFormat.COLLECTION), parsed.blobFormat());
        assertArrayEquals(bytes(32, 4), parsed.blobHash().orElseThrow());
        assertTrue(!raw.equals(raw.withBlob(raw.blobHash().orElseThrow(), Ticket.BlobFormat.COLLECTION)));
        assertTrue(Ticket.of(NODE, List.of()).blobFormat().isEmpty());
        // Flags byte (offset 35): the collection bit alone, without a blob hash, is refused.
        byte[] b = Ticket.of(NODE, List.of()).toBytes();
        b[35] = 4;
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        TicketFormatException e = assertThrows(TicketFormatException.class, () -> Ticket.fromBytes(b));
        assertEquals(Reason.BAD_FIELD, e.reason());
    }

    @Test
    void minimalTicketRoundTrips() throws Exception {
        Ticket ticket = Ticket.of(NODE, List.of());
        assertEquals(ticket, Ticket.parse(ticket.toString()));
        assertTrue(ticket.relay().isEmpty() && ticket.blobHash().isEmpty());
        // version + length + node ID + flags + count + crc32c
        assertEquals(1 + 2 + 32 + 1 + 1 + 4, ticket.toBytes().length);
    }

    @Test
    void maximalTicketFitsTheCap() throws Exception {
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 0; i < Ticket.MAX_DIRECT_ADDRESSES; i++) {
            many.add(address("2001:db8::" + Integer.toHexString(i + 1), 1000 + i));
        }
        Ticket ticket = Ticket.of(NODE, many, Optional.of(new RelayAddress(RELAY, address("2001:db8::ff", 1))),
                Optional.of(bytes(32, 4)));
        assertTrue(ticket.toBytes().length <= Ticket.MAX_ENCODED_BYTES);
        assertEquals(ticket, Ticket.parse(ticket.toString()));
    }

    @Test
    void binaryLayoutIsAsDocumented() throws Exception {
        byte[] encoded = Ticket.of(NODE, List.of(address("10.1.2.3", 0x1234))).toBytes();
        byte[] expected = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1 + 7 + 4)
                .put((byte) 1)                       // version
                .putShort((short) 48)                // total length
                .put(NODE.toBytes())                 // node ID
                .put((byte) 0)                       // flags: no relay, no blob
                .put((byte) 1)                       // one address
                .put((byte) 4).put(new byte[] {10, 1, 2, 3}).putShort((short) 0x1234) // IPv4 10.1.2.3:4660
                .putInt(crc(encoded, 44))            // CRC32C of everything before
                .array();
        assertArrayEquals(expected, encoded);
    }

    @Test
    void rejectsMissingPrefix() {
        assertReason(Reason.BAD_PREFIX, () -> Ticket.parse("xx" + Ticket.of(NODE, List.of()).toString().substring(2)));
    }

    @Test
    void rejectsNonBase32() {
        String text = Ticket.of(NODE, List.of()).toString();
        assertReason(Reason.BAD_ENCODING, () -> Ticket.parse(text.substring(0, 10) + "1" + text.substring(11)));
        assertReason(Reason.BAD_ENCODING, () -> Ticket.parse(text.substring(0, 10) + "é" + text.substring(11)));
    }

    @Test
    void rejectsATypo() throws Exception {
        String text = full().toString();
        int at = text.length() / 2;
        char swapped = text.charAt(at) == 'a' ? 'b' : 'a';
        assertReason(Reason.WRONG_CHECKSUM, () -> Ticket.parse(text.substring(0, at) + swapped
                + text.substring(at + 1)));
    }

    @Test
    void rejectsTruncation() throws Exception {
        byte[] encoded = full().toBytes();
        assertReason(Reason.TRUNCATED, () -> Ticket.fromBytes(Arrays.copyOf(encoded, encoded.length - 1)));
        assertReason(Reason.TRUNCATED, () -> Ticket.fromBytes(Arrays.copyOf(encoded, 2)));
        assertReason(Reason.TRUNCATED, () -> Ticket.fromBytes(new byte[0]));
        String text = full().toString();
        // Cut at a whole-byte boundary of the base32 (8 chars = 5 bytes) so only the length check can object.
        assertReason(Reason.TRUNCATED, () -> Ticket.parse(text.substring(0, text.length() - 8)));
    }

    @Test
    void rejectsUnknownVersion() throws Exception {
        byte[] encoded = full().toBytes();
        encoded[0] = 2;
        TicketFormatException e = assertReason(Reason.UNKNOWN_VERSION, () -> Ticket.fromBytes(encoded));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void rejectsBadLengths() throws Exception {
        byte[] encoded = full().toBytes();
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertReason(Reason.BAD_LENGTH, () -> Ticket.fromBytes(longer));
        byte[] huge = encoded.clone();
        huge[1] = (byte) 0xFF;
        assertReason(Reason.BAD_LENGTH, () -> Ticket.fromBytes(huge));
        assertReason(Reason.BAD_LENGTH, () -> Ticket.parse("qv" + "a".repeat(10_000)));
        // A correctly checksummed ticket whose declared fields end before its declared length.
        byte[] body = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1 + 3).put((byte) 1).putShort((short) 44)
                .put(NODE.toBytes()).put((byte) 0).put((byte) 0).put(new byte[3]).array();
        assertReason(Reason.BAD_LENGTH, () -> Ticket.fromBytes(withCrc(body)));
    }

    @Test
    void rejectsTooManyAddresses() {
        byte[] body = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1).put((byte) 1).putShort((short) (37 + 4))
                .put(NODE.toBytes()).put((byte) 0).put((byte) (Ticket.MAX_DIRECT_ADDRESSES + 1)).array();
        TicketFormatException e = assertReason(Reason.TOO_MANY_ADDRESSES, () -> Ticket.fromBytes(withCrc(body)));
        assertTrue(e.getMessage().contains("17"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ticket.of(NODE,
                Collections.nCopies(Ticket.MAX_DIRECT_ADDRESSES + 1, new InetSocketAddress("127.0.0.1", 1))));
    }

    @Test
    void rejectsUnknownFieldValues() {
        byte[] family = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1 + 1).put((byte) 1).putShort((short) (38 + 4))
                .put(NODE.toBytes()).put((byte) 0).put((byte) 1).put((byte) 5).array();
        assertReason(Reason.BAD_FIELD, () -> Ticket.fromBytes(withCrc(family)));
        byte[] flags = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1).put((byte) 1).putShort((short) (37 + 4))
                .put(NODE.toBytes()).put((byte) 0x80).put((byte) 0).array();
        assertReason(Reason.BAD_FIELD, () -> Ticket.fromBytes(withCrc(flags)));
    }

    @Test
    void fieldsDeclaredButMissingAreTruncation() {
        // Flags promise a blob hash that is not there.
        byte[] body = ByteBuffer.allocate(1 + 2 + 32 + 1 + 1 + 5).put((byte) 1).putShort((short) (42 + 4))
                .put(NODE.toBytes()).put((byte) 2).put((byte) 0).put(new byte[5]).array();
        assertReason(Reason.TRUNCATED, () -> Ticket.fromBytes(withCrc(body)));
    }

    @Test
    void randomGarbageOnlyEverFailsTyped() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] garbage = new byte[random.nextInt(80)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length > 0) {
                garbage[0] = 1;
            }
            try {
                Ticket.fromBytes(garbage);
            } catch (TicketFormatException expected) {
                // the only acceptable failure
            }
        }
    }

    private static byte[] withCrc(byte[] body) {
        return ByteBuffer.allocate(body.length + 4).put(body).putInt(crc(body, body.length)).array();
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private interface Parse {
        void run() throws TicketFormatException;
    }

    private static TicketFormatException assertReason(Reason reason, Parse parse) {
        TicketFormatException e = assertThrows(TicketFormatException.class, parse::run);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
