package dev.quiver.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolving the tier override against what a CPU supports, without a JVM per case. */
@Timeout(10)
class IsaOverrideTest {
    private static final List<Isa> AVX2_CPU = List.of(Isa.AVX2, Isa.SSE41, Isa.PORTABLE);

    @Test
    void noRequestMeansTheBestTier() {
        IsaOverride o = IsaOverride.resolve(null, null, AVX2_CPU, Isa.AVX2);
        assertEquals(Isa.AVX2, o.chosen());
        assertTrue(o.warning().isEmpty());
        assertEquals(Isa.AVX2, IsaOverride.resolve(" ", "", AVX2_CPU, Isa.AVX2).chosen());
    }

    @Test
    void aSupportedLowerTierIsHonouredAndThePropertyWinsOverTheEnvironment() {
        assertEquals(Isa.PORTABLE, IsaOverride.resolve("portable", "sse41", AVX2_CPU, Isa.AVX2).chosen());
        assertEquals(Isa.SSE41, IsaOverride.resolve(null, " SSE41 ", AVX2_CPU, Isa.AVX2).chosen());
        assertTrue(IsaOverride.resolve(null, "sse41", AVX2_CPU, Isa.AVX2).warning().isEmpty());
    }

    @Test
    void aTierTheCpuLacksFallsBackToTheBestAndSaysWhy() {
        IsaOverride o = IsaOverride.resolve("avx512", null, AVX2_CPU, Isa.AVX2);
        assertEquals(Isa.AVX2, o.chosen());
        assertEquals("-Dquiver.simd.isa=avx512 asks for a tier this CPU lacks (it supports avx2, sse41, portable); "
                + "using avx2", o.warning().orElseThrow());
    }

    @Test
    void anUnknownNameFallsBackToTheBestAndListsTheNames() {
        IsaOverride o = IsaOverride.resolve(null, "neon", AVX2_CPU, Isa.AVX2);
        assertEquals(Isa.AVX2, o.chosen());
        assertEquals("QUIVER_SIMD_ISA=neon names no tier (use one of portable, sse41, avx2, avx512, gfni); using avx2",
                o.warning().orElseThrow());
    }
}
