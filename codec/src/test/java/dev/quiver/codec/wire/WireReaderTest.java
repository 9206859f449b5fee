package dev.quiver.codec.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class WireReaderTest {

    @Test
    void varintExamplesFromRfc9000AppendixA1() throws ProtocolException {
        // RFC 9000 §A.1 sample encodings.
        assertEquals(151_288_809_941_952_652L, WireReader.of(hex("c2197c5eff14e88c")).readVarint("v"));
        assertEquals(494_878_333L, WireReader.of(hex("9d7f3e7d")).readVarint("v"));
        assertEquals(15_293L, WireReader.of(hex("7bbd")).readVarint("v"));
        assertEquals(37L, WireReader.of(hex("25")).readVarint("v"));
        assertEquals(37L, WireReader.of(hex("4025")).readVarint("v")); // non-minimal is legal
    }

    @Test
    void varintRoundTripsEdgesAndRandomValues() throws ProtocolException {
        long[] edges = {0, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, Varint.MAX_VALUE};
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            long v = i < edges.length ? edges[i] : rnd.nextLong() >>> (2 + rnd.nextInt(62));
            ByteBuffer buf = ByteBuffer.allocate(8);
            new WireWriter(buf).writeVarint(v);
            assertEquals(Varint.length(v), buf.position());
            buf.flip();
            assertEquals(v, new WireReader(buf).readVarint("v"));
            assertEquals(0, buf.remaining());
        }
        assertThrows(IllegalArgumentException.class, () -> Varint.length(Varint.MAX_VALUE + 1));
        assertThrows(IllegalArgumentException.class, () -> Varint.length(-1));
    }

    @Test
    void everyTruncationIsFrameEncoding() {
        byte[] full = hex("c2197c5eff14e88c");
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            ProtocolException e = assertThrows(ProtocolException.class, () -> WireReader.of(cut).readVarint("v"));
            assertEquals(ProtocolError.FRAME_ENCODING, e.error());
        }
        assertThrows(ProtocolException.class, () -> WireReader.of(new byte[7]).readLong("l"));
        assertThrows(ProtocolException.class, () -> WireReader.of(new byte[3]).readInt("i"));
        assertThrows(ProtocolException.class, () -> WireReader.of(new byte[1]).readU16("s"));
        assertThrows(ProtocolException.class, () -> WireReader.of(new byte[0]).readU8("b"));
    }

    @Test
    void lengthPrefixedChecksCapBeforeAllocating() throws ProtocolException {
        // Length 2^62 - 1 with no bytes behind it: must fail on the cap, not try to allocate.
        ProtocolException huge = assertThrows(ProtocolException.class,
                () -> WireReader.of(hex("ffffffffffffffff")).readLengthPrefixed("blob", 1024));
        assertEquals(ProtocolError.FRAME_TOO_LARGE, huge.error());
        // Within the cap but more than present: truncated, still no allocation of the claimed size.
        ProtocolException cut = assertThrows(ProtocolException.class,
                () -> WireReader.of(hex("4400" + "0102")).readLengthPrefixed("blob", 2048));
        assertEquals(ProtocolError.FRAME_ENCODING, cut.error());
        assertArrayEquals(new byte[] {1, 2}, WireReader.of(hex("020102")).readLengthPrefixed("blob", 2));
    }

    @Test
    void fixedWidthFieldsAreBigEndian() throws ProtocolException {
        ByteBuffer buf = ByteBuffer.allocate(15);
        new WireWriter(buf).writeU8(0xAB).writeU16(0x0102).writeInt(0x03040506).writeLong(0x0708090A0B0C0D0EL);
        assertArrayEquals(hex("ab" + "0102" + "03040506" + "0708090a0b0c0d0e"), buf.array());
        WireReader r = WireReader.of(buf.array());
        assertEquals(0xAB, r.readU8("a"));
        assertEquals(0x0102, r.readU16("b"));
        assertEquals(0x03040506, r.readInt("c"));
        assertEquals(0x0708090A0B0C0D0EL, r.readLong("d"));
        r.expectEnd("all");
    }

    @Test
    void writerRefusesOverflowBeforeWriting() {
        ByteBuffer buf = ByteBuffer.allocate(3);
        assertThrows(java.nio.BufferOverflowException.class, () -> new WireWriter(buf).writeInt(1));
        assertEquals(0, buf.position());
    }

    @Test
    void errorCodesAreStableAndLookedUp() {
        for (ProtocolError e : ProtocolError.values()) {
            assertEquals(e, ProtocolError.fromCode(e.code()));
        }
        assertEquals(0x07, ProtocolError.FLOW_CONTROL.code());
        assertEquals(null, ProtocolError.fromCode(0x1234));
        assertEquals(null, ProtocolError.fromCode(-1));
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
