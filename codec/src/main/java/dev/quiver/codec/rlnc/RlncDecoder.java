package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.CoefficientBasis;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;

/**
 * Decodes one generation from any k linearly independent coded symbols, in any order and any mix of forms.
 *
 * <p>Progressive Gaussian elimination on the coefficients: each arriving vector is reduced against the basis in
 * reduced row-echelon form ({@code CoefficientBasis}); a dependent symbol is discarded at that point, before its
 * payload is touched. An innovative symbol's payload is kept as is; the payload work happens once, when the rank
 * reaches k: source i is {@code Σ_m (C^-1)[i][m] · payload_m}, a plain copy for each source that arrived
 * systematically and one {@link GfKernel#matrixMultiply} for the others, over cache-sized slices, which computes
 * several sources per pass over the payloads (the least payload work Gaussian elimination can do: k² · s
 * multiply-adds at worst).
 *
 * <p>Owned by one thread; not thread-safe.
 */
public final class RlncDecoder {

    private final GenerationInfo generation;
    private final GfKernel kernel;
    private final CoefficientBasis basis;
    private final byte[][] payloads;
    private byte[] data;
    private long discarded;

    /** A decoder for {@code generation} on the best kernel ({@link GfKernels#best()}). */
    public RlncDecoder(GenerationInfo generation) {
        this(generation, GfKernels.best());
    }

    /** A decoder for {@code generation} on {@code kernel}. */
    public RlncDecoder(GenerationInfo generation, GfKernel kernel) {
        this.generation = generation;
        this.kernel = kernel;
        this.basis = new CoefficientBasis(generation.k(), kernel, true);
        this.payloads = new byte[generation.k()][];
    }

    /** The generation being decoded. */
    public GenerationInfo generation() {
        return generation;
    }

    /**
     * Takes one coded symbol. Returns {@code true} when it raised the rank (it was innovative), {@code false} when it
     * was a combination of earlier ones (or the generation is already decoded); such a symbol costs only the
     * reduction of its k coefficients. The decoder keeps a reference to an innovative symbol's payload until it
     * completes.
     *
     * @throws MalformedSymbolException when the symbol claims this generation's ID with a different shape
     * @throws IllegalArgumentException when the symbol belongs to another generation (a routing error)
     */
    public boolean receive(CodedSymbol symbol) throws MalformedSymbolException {
        GenerationInfo g = symbol.generation();
        if (g.generationId() != generation.generationId()) {
            throw new IllegalArgumentException("symbol of generation " + g.generationId() + " given to the decoder of "
                    + generation.generationId());
        }
        if (!g.equals(generation)) {
            throw MalformedSymbolException.violation("generation " + g.generationId() + " announced as " + g
                    + " but earlier as " + generation);
        }
        if (data != null) {
            discarded++;
            return false;
        }
        int m = basis.insert(symbol.coefficients());
        if (m < 0) {
            discarded++;
            return false;
        }
        payloads[m] = symbol.payload();
        if (basis.rank() == generation.k()) {
            solve();
        }
        return true;
    }

    /** Linearly independent symbols received so far (0..k). */
    public int rank() {
        return basis.rank();
    }

    /** Whether the rank reached k and {@link #data()} is ready. */
    public boolean isComplete() {
        return data != null;
    }

    /** Symbols that added nothing (dependent, duplicate, or after completion). */
    public long discarded() {
        return discarded;
    }

    /**
     * The generation's {@code length} bytes, without padding. The same array on every call; the caller may take
     * ownership of it.
     *
     * @throws IllegalStateException before the rank reaches k
     */
    public byte[] data() {
        if (data == null) {
            throw new IllegalStateException("rank " + basis.rank() + " of " + generation.k()
                    + ": need " + (generation.k() - basis.rank()) + " more independent symbols");
        }
        return data;
    }

    private void solve() {
        byte[] out = new byte[generation.length()];
        basis.solveInto(kernel, payloads, generation.symbolSize(), out);
        data = out;
        java.util.Arrays.fill(payloads, null);
    }
}
