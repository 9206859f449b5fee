package dev.quiver.codec.testing;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
import dev.quiver.codec.rlnc.CodedSymbol;
import dev.quiver.codec.rlnc.GenerationInfo;
import dev.quiver.codec.rlnc.RlncDecoder;
import dev.quiver.codec.rlnc.RlncEncoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes through one {@link GfKernel} tier in the shapes that exercise the decoder's sliced matrix product: mixes
 * of systematic and coded symbols, symbols long enough to cross several slices (CoefficientBasis budgets 512 KiB of
 * slices, so 48 buffers of 30001 bytes or 5 of 250003 bytes span 3 slices), odd sizes whose last slice is not a
 * multiple of a vector, a last source cut short inside a slice, and an inverse row that uses only some payloads.
 * Shared by the Java tiers' tests and the native ones.
 */
public final class RlncDecodeConformance {

    private RlncDecodeConformance() {
    }

    /** Every shape below decodes to the original bytes on {@code kernel}. */
    public static void assertDecodes(GfKernel kernel) throws Exception {
        SplittableRandom random = new SplittableRandom(41);
        // {k, symbol size, bytes cut from k * s, systematic symbols sent (every k/n-th source)}
        int[][] shapes = {
            {32, 30001, 5001, 16}, {32, 30001, 0, 0}, {4, 250003, 50003, 3}, {4, 250003, 0, 0},
            {7, 1, 0, 3}, {9, 63, 20, 4}, {9, 65, 64, 0}, {3, 4097, 4096, 2}, {256, 33, 32, 128},
        };
        for (int[] shape : shapes) {
            decodeMix(kernel, random, shape[0], shape[1], shape[2], shape[3]);
        }
        decodeFromSparseRow(kernel, random);
    }

    private static void decodeMix(GfKernel kernel, SplittableRandom random, int k, int s, int cut, int systematic)
            throws Exception {
        byte[] data = new byte[k * s - cut];
        random.nextBytes(data);
        GenerationInfo g = new GenerationInfo(random.nextLong(), k, s, data.length);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        List<CodedSymbol> symbols = new ArrayList<>();
        for (int n = 0; n < systematic; n++) {
            symbols.add(encoder.systematic(n * k / systematic));
        }
        for (int n = 0; n < k - systematic + 4; n++) {
            symbols.add(encoder.coded(random.nextLong()));
        }
        Collections.shuffle(symbols, new Random(random.nextLong()));
        RlncDecoder decoder = new RlncDecoder(g, kernel);
        for (CodedSymbol symbol : symbols) {
            decoder.receive(symbol);
        }
        String shape = kernel.name() + " k=" + k + " s=" + s + " cut=" + cut + " systematic=" + systematic;
        assertTrue(decoder.isComplete(), shape);
        assertArrayEquals(data, decoder.data(), shape);
    }

    /**
     * All sources but the last arrive systematically, the last as {@code 3·x_last + 5·x_0}: its inverse row is
     * {@code (3^-1, 3^-1·5 at x_0's position)}, not a unit, and uses two of the k payloads.
     */
    private static void decodeFromSparseRow(GfKernel kernel, SplittableRandom random) throws Exception {
        int k = 6;
        int s = 200_001;
        byte[] data = new byte[k * s - 7];
        random.nextBytes(data);
        GenerationInfo g = new GenerationInfo(random.nextLong(), k, s, data.length);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        byte[] coefficients = new byte[k];
        coefficients[k - 1] = 3;
        coefficients[0] = 5;
        byte[] payload = new byte[s];
        GfKernels.scalar().mul(3, encoder.systematic(k - 1).payload(), 0, payload, 0, s);
        GfKernels.scalar().mulAdd(5, encoder.systematic(0).payload(), 0, payload, 0, s);
        RlncDecoder decoder = new RlncDecoder(g, kernel);
        assertTrue(decoder.receive(CodedSymbol.explicit(g, coefficients, payload)));
        for (int i = k - 2; i >= 0; i--) {
            assertTrue(decoder.receive(encoder.systematic(i)));
        }
        assertEquals(k, decoder.rank());
        assertArrayEquals(data, decoder.data(), kernel.name() + " sparse inverse row");
    }
}
