package dev.quiver.codec.rlnc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SymbolCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void seededSymbolWireBytes() throws Exception {
        byte[] wire = HEX.parseHex(""
                + "01"                 // version 1
                + "01"                 // form: seeded
                + "0003"               // k = 3
                + "00000000000000ab"   // generation id 0xAB
                + "00000004"           // symbol size 4
                + "0000000b"           // length 11: (3-1)*4 < 11 <= 12
                + "1122334455667788"   // seed
                + "deadbeef");         // payload
        CodedSymbol symbol = SymbolCodec.parse(wire);
        assertEquals(new GenerationInfo(0xAB, 3, 4, 11), symbol.generation());
        assertEquals(CodedSymbol.Form.SEEDED, symbol.form());
        assertEquals(0x1122334455667788L, symbol.seed());
        assertArrayEquals(HEX.parseHex("deadbeef"), symbol.payload());
        assertArrayEquals(Coefficients.fromSeed(0xAB, 0x1122334455667788L, 3), symbol.coefficients());
        assertArrayEquals(wire, SymbolCodec.encode(symbol));
        assertEquals(wire.length, SymbolCodec.encodedLength(wire, 0));
    }

    @Test
    void systematicAndExplicitSymbolWireBytes() throws Exception {
        byte[] systematic = HEX.parseHex("01" + "00" + "0002" + "0000000000000001" + "00000002" + "00000004"
                + "0001"     // source index 1
                + "aabb");   // payload
        CodedSymbol s = SymbolCodec.parse(systematic);
        assertEquals(1, s.sourceIndex());
        assertArrayEquals(new byte[] {0, 1}, s.coefficients());
        byte[] explicit = HEX.parseHex("01" + "02" + "0002" + "0000000000000001" + "00000002" + "00000003"
                + "0705"     // coefficients 7, 5
                + "aabb");   // payload
        CodedSymbol e = SymbolCodec.parse(explicit);
        assertArrayEquals(new byte[] {7, 5}, e.coefficients());
        assertArrayEquals(explicit, SymbolCodec.encode(e));
        assertArrayEquals(systematic, SymbolCodec.encode(s));
    }

    @Test
    void garbageFieldsGiveTheTypedException() {
        String gen = "0000000000000001";
        // k = 0
        assertMalformed("k = 0", "01" + "01" + "0000" + gen + "00000004" + "00000004" + "0000000000000000" + "00000000");
        // k = 257
        assertMalformed("k = 257", "01" + "01" + "0101" + gen + "00000004" + "00000004" + "0000000000000000" + "00");
        // symbol size 0, 1 MiB + 1, 4 GiB - 1
        assertMalformed("symbol size 0", "01" + "01" + "0001" + gen + "00000000" + "00000001" + "0000000000000000");
        assertMalformed("symbol size 1048577", "01" + "01" + "0001" + gen + "00100001" + "00100001" + "00");
        assertMalformed("symbol size 4294967295", "01" + "01" + "0001" + gen + "ffffffff" + "ffffffff" + "00");
        // length beyond k * s, and length that leaves the last symbol empty
        assertMalformed("length 9", "01" + "01" + "0002" + gen + "00000004" + "00000009" + "0000000000000000" + "0000000000000000");
        assertMalformed("length 4", "01" + "01" + "0002" + gen + "00000004" + "00000004" + "0000000000000000" + "0000000000000000");
        // truncated payload
        assertMalformed("truncated symbol", "01" + "01" + "0002" + gen + "00000004" + "00000008" + "0000000000000000" + "000000");
        // trailing bytes
        assertMalformed("trailing bytes", "01" + "01" + "0001" + gen + "00000002" + "00000002" + "0000000000000000" + "aabbcc");
        // explicit coefficient vector of the wrong length (k = 3, two coefficient bytes, then the payload)
        assertMalformed("truncated symbol", "01" + "02" + "0003" + gen + "00000001" + "00000003" + "0102" + "ee");
        // all-zero explicit vector, unknown version and form, systematic index beyond k
        assertMalformed("all-zero", "01" + "02" + "0002" + gen + "00000001" + "00000002" + "0000" + "ee");
        assertMalformed("version 2", "02" + "01" + "0001" + gen + "00000001" + "00000001" + "0000000000000000" + "ee");
        assertMalformed("unknown coefficient form 3", "01" + "03" + "0001" + gen + "00000001" + "00000001" + "ee");
        assertMalformed("systematic index 2", "01" + "00" + "0002" + gen + "00000001" + "00000002" + "0002" + "ee");
        // shorter than the fixed header
        assertMalformed("truncated header", "0101");
        assertMalformed("truncated header", "");
    }

    @Test
    void hugeClaimsAllocateNothingBeyondTheCaps() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Claims k = 256 and s = 1 MiB (the caps), explicit coefficients, but carries 30 bytes.
        byte[] claim = HEX.parseHex("01" + "02" + "0100" + "0000000000000001" + "00100000" + "10000000"
                + "0102030405060708090a");
        long tid = Thread.currentThread().threadId();
        for (int warm = 0; warm < 1000; warm++) {
            assertThrows(MalformedSymbolException.class, () -> SymbolCodec.parse(claim));
        }
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100; i++) {
            assertThrows(MalformedSymbolException.class, () -> SymbolCodec.parse(claim));
        }
        long perParse = (threads.getThreadAllocatedBytes(tid) - before) / 100;
        // An exception with its message and stack trace, nowhere near a 1 MiB payload.
        assertTrue(perParse < 64 * 1024, "allocated " + perParse + " bytes per rejected parse");
    }

    @Test
    void randomBytesAndMutatedSymbolsOnlyEverGiveTheTypedException() {
        SplittableRandom random = new SplittableRandom(12);
        GenerationInfo g = new GenerationInfo(77, 5, 9, 40);
        byte[] data = new byte[40];
        random.nextBytes(data);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, dev.quiver.codec.gf.GfKernels.scalar(), random.split());
        RlncRecoder recoder = new RlncRecoder(g, dev.quiver.codec.gf.GfKernels.scalar(), random.split());
        int parsed = 0;
        int refused = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] input;
            if (n % 2 == 0) {
                input = new byte[random.nextInt(1, 80)];
                random.nextBytes(input);
                input[0] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : 1); // often get past the version
            } else {
                CodedSymbol valid = n % 3 == 0 ? encoder.next() : encoder.coded(random.nextLong());
                if (n % 5 == 0) {
                    try {
                        recoder.add(valid);
                    } catch (MalformedSymbolException e) {
                        throw new AssertionError(e);
                    }
                    valid = recoder.recode();
                }
                input = SymbolCodec.encode(valid);
                int flips = random.nextInt(1, 4);
                for (int f = 0; f < flips; f++) {
                    input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 5));
                }
            }
            try {
                CodedSymbol s = SymbolCodec.parse(input);
                assertArrayEquals(input, SymbolCodec.encode(s), "a parsed symbol re-encodes to its bytes");
                parsed++;
            } catch (MalformedSymbolException e) {
                refused++;
            }
        }
        assertTrue(parsed > 1000 && refused > 1000, parsed + " parsed, " + refused + " refused");
    }

    private static void assertMalformed(String messagePart, String hex) {
        byte[] wire = HEX.parseHex(hex);
        MalformedSymbolException e = assertThrows(MalformedSymbolException.class, () -> SymbolCodec.parse(wire));
        assertTrue(e.getMessage().contains(messagePart), "'" + e.getMessage() + "' should mention '" + messagePart + "'");
    }
}
