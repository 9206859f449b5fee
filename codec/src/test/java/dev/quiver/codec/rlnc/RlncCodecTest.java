package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
import dev.quiver.codec.testing.RlncDecodeConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class RlncCodecTest {

    static List<GfKernel> tiers() {
        return GfKernels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void decodesFromRandomLossPatternsOfCodedSymbols(GfKernel kernel) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int[] shape : new int[][] {{1, 1}, {1, 5}, {2, 3}, {8, 100}, {16, 1024}, {37, 33}, {64, 257}, {256, 16}}) {
            int k = shape[0];
            int s = shape[1];
            int length = (k - 1) * s + 1 + random.nextInt(s);
            byte[] data = bytes(random, length);
            GenerationInfo g = new GenerationInfo(random.nextLong(), k, s, length);
            RlncEncoder encoder = new RlncEncoder(g, data, 0, kernel, random.split());
            RlncDecoder decoder = new RlncDecoder(g, kernel);
            int sent = 0;
            while (!decoder.isComplete()) {
                CodedSymbol symbol = encoder.next();
                sent++;
                if (random.nextInt(100) < 30) {
                    continue; // lost on the way
                }
                decoder.receive(symbol);
                assertTrue(sent < k * 3 + 20, "decoder never completes for k=" + k);
            }
            assertEquals(k, decoder.rank());
            assertArrayEquals(data, decoder.data(), "k=" + k + " s=" + s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void decodesFromSystematicAndCodedMixInAnyOrderWithDuplicates(GfKernel kernel) throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        int k = 32;
        int s = 200;
        byte[] data = bytes(random, k * s - 7);
        GenerationInfo g = GenerationInfo.forLength(99, data.length, s);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, kernel, random.split());
        List<CodedSymbol> symbols = new ArrayList<>();
        for (int i = 0; i < k; i += 2) {
            symbols.add(encoder.systematic(i));
            symbols.add(encoder.systematic(i)); // duplicate
        }
        for (int i = 0; i < k / 2 + 4; i++) {
            CodedSymbol coded = encoder.coded(random.nextLong());
            symbols.add(coded);
            symbols.add(coded);
        }
        Collections.shuffle(symbols, new Random(8));
        RlncDecoder decoder = new RlncDecoder(g, kernel);
        int innovative = 0;
        for (CodedSymbol symbol : symbols) {
            int before = decoder.rank();
            boolean added = decoder.receive(symbol);
            assertEquals(added, decoder.rank() == before + 1);
            innovative += added ? 1 : 0;
        }
        assertEquals(k, innovative);
        assertTrue(decoder.discarded() >= k / 2 + k / 2, "duplicates counted as discarded");
        assertArrayEquals(data, decoder.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void decodesMixesAcrossSliceBoundariesAndOddSizes(GfKernel kernel) throws Exception {
        RlncDecodeConformance.assertDecodes(kernel);
    }

    @Test
    void exactlyKMinusOneIndependentSymbolsNeverDecode() throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        int k = 16;
        int s = 64;
        byte[] data = bytes(random, k * s);
        GenerationInfo g = GenerationInfo.forLength(5, data.length, s);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.best(), random.split());
        RlncRecoder subspace = new RlncRecoder(g, GfKernels.best(), random.split());
        for (int i = 0; i < k - 1; i++) {
            subspace.add(encoder.coded(random.nextLong()));
        }
        assertEquals(k - 1, subspace.rank());
        RlncDecoder decoder = new RlncDecoder(g);
        for (int i = 0; i < 500; i++) {
            decoder.receive(subspace.recode());
            assertFalse(decoder.isComplete());
        }
        assertEquals(k - 1, decoder.rank());
        assertEquals(500 - (k - 1), decoder.discarded());
        IllegalStateException e = assertThrows(IllegalStateException.class, decoder::data);
        assertTrue(e.getMessage().contains("1 more"), e.getMessage());
        // One symbol from outside the subspace completes it.
        decoder.receive(encoder.coded(random.nextLong()));
        assertArrayEquals(data, decoder.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void symbolsRecodedTwiceDecodeToTheOriginal(GfKernel kernel) throws Exception {
        SplittableRandom random = new SplittableRandom(10);
        int k = 24;
        int s = 333;
        byte[] data = bytes(random, k * s - 100);
        GenerationInfo g = GenerationInfo.forLength(-1, data.length, s);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, kernel, random.split());
        RlncRecoder first = new RlncRecoder(g, kernel, random.split());
        RlncRecoder second = new RlncRecoder(g, kernel, random.split());
        for (int i = 0; i < k; i++) {
            first.add(i % 3 == 0 ? encoder.systematic(i) : encoder.coded(random.nextLong()));
        }
        for (int i = 0; i < k + 4; i++) {
            second.add(first.recode());
        }
        RlncDecoder decoder = new RlncDecoder(g, kernel);
        while (!decoder.isComplete()) {
            CodedSymbol recoded = second.recode();
            assertEquals(CodedSymbol.Form.EXPLICIT, recoded.form());
            decoder.receive(SymbolCodec.parse(SymbolCodec.encode(recoded)));
        }
        assertArrayEquals(data, decoder.data());
    }

    @Test
    void recodedCoefficientsDescribeThePayload() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        GenerationInfo g = new GenerationInfo(3, 4, 50, 200);
        byte[] data = bytes(random, 200);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        RlncRecoder recoder = new RlncRecoder(g, GfKernels.scalar(), random.split());
        recoder.add(encoder.coded(1));
        recoder.add(encoder.coded(2));
        CodedSymbol r = recoder.recode();
        byte[] c = r.coefficients();
        byte[] expected = new byte[50];
        for (int i = 0; i < 4; i++) {
            GfKernels.scalar().mulAdd(c[i] & 0xFF, encoder.systematic(i).payload(), 0, expected, 0, 50);
        }
        assertArrayEquals(expected, r.payload());
        assertThrows(IllegalStateException.class, () -> new RlncRecoder(g).recode());
    }

    @Test
    void symbolsOfAnotherShapeOrGenerationAreRefused() throws Exception {
        GenerationInfo g = new GenerationInfo(1, 4, 10, 40);
        RlncDecoder decoder = new RlncDecoder(g);
        CodedSymbol otherShape = CodedSymbol.seeded(new GenerationInfo(1, 4, 10, 39), 5, new byte[10]);
        assertThrows(MalformedSymbolException.class, () -> decoder.receive(otherShape));
        CodedSymbol otherGeneration = CodedSymbol.seeded(new GenerationInfo(2, 4, 10, 40), 5, new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> decoder.receive(otherGeneration));
        assertEquals(0, decoder.rank());
    }

    @Test
    void generationShapeIsCapped() {
        assertThrows(IllegalArgumentException.class, () -> new GenerationInfo(0, 0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new GenerationInfo(0, 257, 10, 2561));
        assertThrows(IllegalArgumentException.class, () -> new GenerationInfo(0, 1, (1 << 20) + 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new GenerationInfo(0, 4, 10, 30)); // last symbol empty
        assertThrows(IllegalArgumentException.class, () -> new GenerationInfo(0, 4, 10, 41));
        assertThrows(IllegalArgumentException.class, () -> GenerationInfo.forLength(0, 257 * 4, 4));
        assertEquals(3, GenerationInfo.forLength(0, 21, 10).k());
        assertEquals(256, new GenerationInfo(0, 256, 1 << 20, 256 << 20).k());
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
