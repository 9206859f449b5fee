package dev.quiver.codec.rlnc;

import java.util.Objects;

/**
 * One coded symbol of a generation: a payload of {@code symbolSize} bytes that equals {@code Σ c[i] · source[i]}
 * for its coefficient vector {@code c}. The vector travels in one of three forms ({@link Form}): a source index
 * (systematic), a 64-bit seed ({@link Coefficients}), or k explicit bytes (recoded symbols).
 *
 * <p>Immutable by contract: the payload array is shared, never copied, by the codec (encoder, decoder, wire
 * codec); callers must not modify it after building a symbol. Thread-safe under that contract.
 */
public final class CodedSymbol {

    /** How the coefficient vector is carried. Wire values are fixed ({@link SymbolCodec}). */
    public enum Form {
        /** The vector is the unit vector of one source: the symbol is that source symbol. */
        SYSTEMATIC(0),
        /** The vector is derived from a 64-bit seed by {@link Coefficients#fromSeed}. */
        SEEDED(1),
        /** The vector is carried as k bytes (recoded symbols, whose vectors are combinations). */
        EXPLICIT(2);

        final int wire;

        Form(int wire) {
            this.wire = wire;
        }
    }

    private final GenerationInfo generation;
    private final Form form;
    private final long indexOrSeed;
    private final byte[] coefficients;
    private final byte[] payload;

    private CodedSymbol(GenerationInfo generation, Form form, long indexOrSeed, byte[] coefficients, byte[] payload) {
        this.generation = Objects.requireNonNull(generation, "generation");
        this.form = form;
        this.indexOrSeed = indexOrSeed;
        this.coefficients = coefficients;
        this.payload = Objects.requireNonNull(payload, "payload");
        if (payload.length != generation.symbolSize()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes, symbol size is "
                    + generation.symbolSize());
        }
    }

    /** Source symbol {@code index} itself (0 ≤ index < k). */
    public static CodedSymbol systematic(GenerationInfo generation, int index, byte[] payload) {
        Objects.checkIndex(index, generation.k());
        return new CodedSymbol(generation, Form.SYSTEMATIC, index, null, payload);
    }

    /** A symbol whose coefficients derive from {@code seed}. */
    public static CodedSymbol seeded(GenerationInfo generation, long seed, byte[] payload) {
        return new CodedSymbol(generation, Form.SEEDED, seed, null, payload);
    }

    /** A symbol with explicit coefficients (k bytes, not all zero; the array is copied). */
    public static CodedSymbol explicit(GenerationInfo generation, byte[] coefficients, byte[] payload) {
        if (coefficients.length != generation.k()) {
            throw new IllegalArgumentException(coefficients.length + " coefficients for k = " + generation.k());
        }
        if (Coefficients.isZero(coefficients)) {
            throw new IllegalArgumentException("all-zero coefficient vector carries no information");
        }
        return new CodedSymbol(generation, Form.EXPLICIT, 0, coefficients.clone(), payload);
    }

    /** The generation this symbol belongs to. */
    public GenerationInfo generation() {
        return generation;
    }

    /** How the coefficients travel. */
    public Form form() {
        return form;
    }

    /** The source index of a {@link Form#SYSTEMATIC} symbol. */
    public int sourceIndex() {
        requireForm(Form.SYSTEMATIC);
        return (int) indexOrSeed;
    }

    /** The seed of a {@link Form#SEEDED} symbol. */
    public long seed() {
        requireForm(Form.SEEDED);
        return indexOrSeed;
    }

    /** A fresh copy of the k coefficients (derived for the systematic and seeded forms). */
    public byte[] coefficients() {
        return switch (form) {
            case SYSTEMATIC -> Coefficients.unit((int) indexOrSeed, generation.k());
            case SEEDED -> Coefficients.fromSeed(generation.generationId(), indexOrSeed, generation.k());
            case EXPLICIT -> coefficients.clone();
        };
    }

    /** The payload ({@code symbolSize} bytes), shared, not copied: do not modify it. */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "CodedSymbol[gen=" + generation.generationId() + ", k=" + generation.k() + ", s=" + generation.symbolSize()
                + ", " + form + (form == Form.EXPLICIT ? "" : "=" + indexOrSeed) + "]";
    }

    private void requireForm(Form expected) {
        if (form != expected) {
            throw new IllegalStateException("symbol is " + form + ", not " + expected);
        }
    }
}
