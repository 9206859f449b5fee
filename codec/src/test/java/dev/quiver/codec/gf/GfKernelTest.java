package dev.quiver.codec.gf;

import dev.quiver.codec.testing.GfKernelConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every tier available here against the naive multiply and the scalar reference. */
@Timeout(120)
class GfKernelTest {

    static List<GfKernel> tiers() {
        return GfKernels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void mulMatchesNaive(GfKernel kernel) {
        GfKernelConformance.assertMulMatchesNaive(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void mulAddMatchesNaive(GfKernel kernel) {
        GfKernelConformance.assertMulAddMatchesNaive(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void dotProductMatchesNaive(GfKernel kernel) {
        GfKernelConformance.assertDotProductMatchesReference(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void matrixMultiplyMatchesReference(GfKernel kernel) {
        GfKernelConformance.assertMatrixMultiplyMatchesReference(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void segmentsMatchReference(GfKernel kernel) {
        GfKernelConformance.assertSegmentsMatchReference(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void rejectsBadArguments(GfKernel kernel) {
        GfKernelConformance.assertRejectsBadArguments(kernel);
    }

    @Test
    void vectorTierIsAvailableUnderTheTestJvmFlags() {
        // The build starts test JVMs with --add-modules jdk.incubator.vector, so the tier must be on here.
        assertTrue(GfKernels.vector().isPresent(), "Vector API tier missing");
        assertEquals(VectorGfKernel.NAME, GfKernels.vector().get().name());
        assertEquals(ScalarGfKernel.NAME, GfKernels.all().getFirst().name());
        assertTrue(GfKernels.byName(VectorGfKernel.NAME).isPresent());
    }

    @Test
    void bestIsTheNativeChoiceOrTheVectorTier() {
        GfKernel best = GfKernels.best();
        assertTrue(GfKernels.all().stream().anyMatch(k -> k.name().equals(best.name())), best.name());
        GfKernelConformance.assertMulAddMatchesNaive(best);
    }
}
