package dev.quiver.codec.rlnc;

/**
 * The shape of one RLNC generation: {@code k} source symbols of {@code symbolSize} bytes holding {@code length}
 * bytes of data, the last symbol zero-padded. Every coded symbol of a generation repeats these four values, so
 * each is self-describing.
 *
 * @param generationId caller-chosen identifier; it also seeds the coefficient generator ({@link Coefficients})
 * @param k            source symbols, 1..{@value #MAX_K}
 * @param symbolSize   bytes per symbol, 1..{@value #MAX_SYMBOL_SIZE}
 * @param length       true data bytes: {@code (k - 1) · symbolSize < length <= k · symbolSize}, so only the last
 *                     symbol carries padding
 */
public record GenerationInfo(long generationId, int k, int symbolSize, int length) {

    /** Largest generation: one coefficient byte per source symbol, and GF(2^8) has 256 elements. */
    public static final int MAX_K = 256;
    /** Largest symbol (1 MiB); with {@link #MAX_K} a generation holds at most 256 MiB. */
    public static final int MAX_SYMBOL_SIZE = 1 << 20;

    /** Validates the shape. */
    public GenerationInfo {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k = " + k + " outside 1.." + MAX_K);
        }
        if (symbolSize < 1 || symbolSize > MAX_SYMBOL_SIZE) {
            throw new IllegalArgumentException("symbol size " + symbolSize + " outside 1.." + MAX_SYMBOL_SIZE);
        }
        if (!lengthFits(k, symbolSize, length)) {
            throw new IllegalArgumentException("length " + length + " does not fill the last of k = " + k
                    + " symbols of " + symbolSize + " bytes: need " + ((long) (k - 1) * symbolSize) + " < length <= "
                    + ((long) k * symbolSize));
        }
    }

    /** The shape for {@code length} bytes cut into symbols of {@code symbolSize} bytes ({@code k} rounds up). */
    public static GenerationInfo forLength(long generationId, int length, int symbolSize) {
        if (length < 1 || symbolSize < 1) {
            throw new IllegalArgumentException("length " + length + " and symbol size " + symbolSize + " must be >= 1");
        }
        long k = ((long) length + symbolSize - 1) / symbolSize;
        if (k > MAX_K) {
            throw new IllegalArgumentException(length + " bytes need " + k + " symbols of " + symbolSize
                    + " bytes; a generation holds at most " + MAX_K + "; use larger symbols or more generations");
        }
        return new GenerationInfo(generationId, (int) k, symbolSize, length);
    }

    /** Whether {@code (k - 1) · symbolSize < length <= k · symbolSize}, computed without overflow. */
    static boolean lengthFits(int k, int symbolSize, long length) {
        return length > (long) (k - 1) * symbolSize && length <= (long) k * symbolSize;
    }
}
