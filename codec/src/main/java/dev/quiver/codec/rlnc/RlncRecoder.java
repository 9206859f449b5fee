package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Makes new coded symbols of a generation from coded symbols received, without decoding: a recoded symbol is
 * {@code Σ r_m · symbol_m} for random {@code r}, and its coefficient vector is {@code Σ r_m · c_m}, carried
 * explicitly. Only innovative symbols are kept (at most k), checked on coefficients alone, so a relay's memory is
 * bounded by one generation. Because the kept vectors are independent and {@code r} is never all zero, a recoded
 * vector is never zero.
 *
 * <p>Owned by one thread; not thread-safe.
 */
public final class RlncRecoder {

    private final GenerationInfo generation;
    private final GfKernel kernel;
    private final RandomGenerator random;
    private final CoefficientBasis basis;
    private final byte[][] coefficients;
    private final byte[][] payloads;

    /** A recoder for {@code generation} on the best kernel with a fresh {@link SplittableRandom}. */
    public RlncRecoder(GenerationInfo generation) {
        this(generation, GfKernels.best(), new SplittableRandom());
    }

    /** A recoder for {@code generation} on {@code kernel}, drawing combination factors from {@code random}. */
    public RlncRecoder(GenerationInfo generation, GfKernel kernel, RandomGenerator random) {
        this.generation = Objects.requireNonNull(generation, "generation");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.random = Objects.requireNonNull(random, "random");
        this.basis = new CoefficientBasis(generation.k(), kernel, false);
        this.coefficients = new byte[generation.k()][];
        this.payloads = new byte[generation.k()][];
    }

    /**
     * Keeps {@code symbol} if it is innovative; returns whether it was.
     *
     * @throws MalformedSymbolException when the symbol claims this generation's ID with a different shape
     * @throws IllegalArgumentException when it belongs to another generation
     */
    public boolean add(CodedSymbol symbol) throws MalformedSymbolException {
        GenerationInfo g = symbol.generation();
        if (g.generationId() != generation.generationId()) {
            throw new IllegalArgumentException("symbol of generation " + g.generationId() + " given to the recoder of "
                    + generation.generationId());
        }
        if (!g.equals(generation)) {
            throw new MalformedSymbolException("generation " + g.generationId() + " announced as " + g
                    + " but earlier as " + generation);
        }
        byte[] c = symbol.coefficients();
        int m = basis.insert(c);
        if (m < 0) {
            return false;
        }
        coefficients[m] = c;
        payloads[m] = symbol.payload();
        return true;
    }

    /** Independent symbols held (0..k). */
    public int rank() {
        return basis.rank();
    }

    /**
     * A new random combination of the symbols held, with explicit coefficients.
     *
     * @throws IllegalStateException when no symbol is held yet
     */
    public CodedSymbol recode() {
        int n = basis.rank();
        if (n == 0) {
            throw new IllegalStateException("nothing to recode: no symbol of generation "
                    + generation.generationId() + " received yet");
        }
        byte[] r = new byte[n];
        do {
            random.nextBytes(r);
        } while (Coefficients.isZero(r));
        byte[] c = new byte[generation.k()];
        kernel.dotProduct(r, 0, coefficients, 0, n, c, 0, generation.k());
        byte[] payload = new byte[generation.symbolSize()];
        kernel.dotProduct(r, 0, payloads, 0, n, payload, 0, generation.symbolSize());
        return CodedSymbol.explicit(generation, c, payload);
    }
}
