package dev.quiver.codec.rlnc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@Timeout(30)
class CoefficientsTest {

    @Test
    void splitMix64MatchesThePublishedSequence() {
        // SplitMix64 seeded with 0 (state += GAMMA, then mix): first outputs, as in the reference splitmix64.c
        // by Vigna and in java.util.SplittableRandom(0).nextLong().
        long state = 0;
        long[] expected = {0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L, 0x06C45D188009454FL};
        for (long e : expected) {
            state += 0x9E3779B97F4A7C15L;
            assertEquals(e, Coefficients.mix64(state));
        }
        SplittableRandom jdk = new SplittableRandom(0);
        assertEquals(expected[0], jdk.nextLong());
    }

    @Test
    void vectorIsTheLittleEndianByteStreamOfTheSpec() {
        long generationId = 42;
        long seed = 0x0123_4567_89AB_CDEFL;
        long state = Coefficients.mix64(generationId) ^ seed;
        byte[] expected = new byte[20];
        for (int i = 0; i < 20; i += 8) {
            state += 0x9E3779B97F4A7C15L;
            long word = Coefficients.mix64(state);
            for (int b = 0; b < 8 && i + b < 20; b++) {
                expected[i + b] = (byte) (word >>> (8 * b));
            }
        }
        assertArrayEquals(expected, Coefficients.fromSeed(generationId, seed, 20));
    }

    @Test
    void deterministicAndDependentOnGeneration() {
        assertArrayEquals(Coefficients.fromSeed(1, 2, 64), Coefficients.fromSeed(1, 2, 64));
        assertFalse(java.util.Arrays.equals(Coefficients.fromSeed(1, 2, 64), Coefficients.fromSeed(2, 2, 64)));
        assertFalse(java.util.Arrays.equals(Coefficients.fromSeed(1, 2, 64), Coefficients.fromSeed(1, 3, 64)));
    }

    @Test
    void neverAZeroVectorEvenForKOne() {
        int zeroFirstDraws = 0;
        for (long seed = 0; seed < 20_000; seed++) {
            byte[] c = Coefficients.fromSeed(7, seed, 1);
            assertNotEquals(0, c[0], "seed " + seed);
            // For k = 1 the rule says: the first non-zero byte of the stream.
            long state = Coefficients.mix64(7) ^ seed;
            byte first = 0;
            boolean redrawn = false;
            while (first == 0) {
                state += 0x9E3779B97F4A7C15L;
                long word = Coefficients.mix64(state);
                for (int b = 0; b < 8 && first == 0; b++) {
                    first = (byte) (word >>> (8 * b));
                    redrawn |= first == 0;
                }
            }
            zeroFirstDraws += redrawn ? 1 : 0;
            assertEquals(first, c[0], "seed " + seed);
        }
        // About 20000/256 first draws are zero, so the redraw rule is exercised.
        assertNotEquals(0, zeroFirstDraws);
    }
}
