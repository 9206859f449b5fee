package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Encodes one generation: systematic symbols (the sources themselves) and seeded coded symbols
 * {@code Σ c[i] · source[i]} with dense coefficients from {@link Coefficients#fromSeed}. {@link #next()} gives the k
 * systematic symbols first, then seeded ones with random seeds, so a loss-free transfer costs no arithmetic at all.
 *
 * <p>The encoder copies the data once into k padded source symbols. Coded payloads cost one
 * {@link GfKernel#dotProduct} over the k sources. Owned by one thread ({@link #next()} advances a counter and draws
 * seeds); {@link #coded(long)} and {@link #systematic(int)} alone are safe from several threads.
 */
public final class RlncEncoder {

    private final GenerationInfo generation;
    private final GfKernel kernel;
    private final RandomGenerator seeds;
    private final byte[][] sources;
    private int nextSystematic;

    /**
     * Encodes {@code data[off..off+len)} in symbols of {@code symbolSize} bytes (k = ⌈len / symbolSize⌉, at most
     * 256), on the best kernel, drawing seeds from a fresh {@link SplittableRandom}.
     */
    public RlncEncoder(long generationId, byte[] data, int off, int len, int symbolSize) {
        this(GenerationInfo.forLength(generationId, len, symbolSize), data, off, GfKernels.best(), new SplittableRandom());
    }

    /** Encodes {@code generation.length()} bytes of {@code data} from {@code off}, with the given kernel and seeds. */
    public RlncEncoder(GenerationInfo generation, byte[] data, int off, GfKernel kernel, RandomGenerator seeds) {
        this.generation = Objects.requireNonNull(generation, "generation");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
        Objects.checkFromIndexSize(off, generation.length(), data.length);
        int k = generation.k();
        int s = generation.symbolSize();
        sources = new byte[k][s];
        for (int i = 0; i < k; i++) {
            int start = i * s;
            System.arraycopy(data, off + start, sources[i], 0, Math.min(s, generation.length() - start));
        }
    }

    /** The generation being encoded. */
    public GenerationInfo generation() {
        return generation;
    }

    /** The next symbol: the k systematic symbols in order, then seeded coded symbols with random seeds. */
    public CodedSymbol next() {
        if (nextSystematic < generation.k()) {
            return systematic(nextSystematic++);
        }
        return coded(seeds.nextLong());
    }

    /** Source symbol {@code index} (zero-padded if it is the last); its payload is shared with the encoder. */
    public CodedSymbol systematic(int index) {
        return CodedSymbol.systematic(generation, index, sources[Objects.checkIndex(index, generation.k())]);
    }

    /** The coded symbol for {@code seed}. */
    public CodedSymbol coded(long seed) {
        byte[] payload = new byte[generation.symbolSize()];
        codedPayload(seed, payload, 0);
        return CodedSymbol.seeded(generation, seed, payload);
    }

    /** Writes the payload of the coded symbol for {@code seed} into {@code dst} at {@code dstOff}, allocating nothing
     * but the k coefficients. */
    public void codedPayload(long seed, byte[] dst, int dstOff) {
        byte[] c = Coefficients.fromSeed(generation.generationId(), seed, generation.k());
        kernel.dotProduct(c, 0, sources, 0, generation.k(), dst, dstOff, generation.symbolSize());
    }
}
