package dev.quiver.simd;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The user's choice of tier: system property {@code quiver.simd.isa}, else environment variable
 * {@code QUIVER_SIMD_ISA} (values {@code portable}, {@code sse41}, {@code avx2}, {@code avx512}, {@code gfni}).
 * Only a tier this CPU supports can be forced; anything else falls back to the best tier with a warning.
 *
 * @param chosen  the tier to use
 * @param warning why the request was not honoured, or empty
 */
record IsaOverride(Isa chosen, Optional<String> warning) {

    /** The system property that forces a tier. */
    static final String PROPERTY = "quiver.simd.isa";
    /** The environment variable that forces a tier when the property is not set. */
    static final String ENV = "QUIVER_SIMD_ISA";

    /** Resolves the request (property first, then environment; null when absent) against the supported tiers. */
    static IsaOverride resolve(String property, String env, List<Isa> supported, Isa best) {
        String source = property != null && !property.isBlank() ? "-D" + PROPERTY + "=" + property
                : env != null && !env.isBlank() ? ENV + "=" + env : null;
        if (source == null) {
            return new IsaOverride(best, Optional.empty());
        }
        String requested = property != null && !property.isBlank() ? property : env;
        Optional<Isa> isa = Isa.byName(requested);
        if (isa.isEmpty()) {
            return new IsaOverride(best, Optional.of(source + " names no tier (use one of "
                    + Arrays.stream(Isa.values()).map(Isa::tierName).collect(Collectors.joining(", "))
                    + "); using " + best.tierName()));
        }
        if (!supported.contains(isa.get())) {
            return new IsaOverride(best, Optional.of(source + " asks for a tier this CPU lacks (it supports "
                    + supported.stream().map(Isa::tierName).collect(Collectors.joining(", ")) + "); using "
                    + best.tierName()));
        }
        return new IsaOverride(isa.get(), Optional.empty());
    }
}
