package dev.quiver.simd;

import dev.quiver.codec.testing.RlncDecodeConformance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * RLNC decoding through each native GF tier: the decoder's sliced matrix product reaches the native matrix kernel
 * with more rows and sources than one downcall takes, odd slice lengths and mixes of copied and computed sources,
 * beyond the shapes of the kernel conformance suite. Tiers this CPU lacks are skipped with a printed reason.
 */
@Timeout(300)
class NativeGfRlncDecodeTest {

    static Stream<Isa> tiers() {
        return NativeGfConformanceTest.tiers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void decodesMixesAcrossSliceBoundaries(Isa isa) throws Exception {
        RlncDecodeConformance.assertDecodes(NativeGfConformanceTest.kernel(isa));
    }
}
