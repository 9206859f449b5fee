package dev.quiver.simd;

import java.util.Locale;
import java.util.Optional;

/**
 * The instruction-set tiers of Quiver's native kernels, narrowest first; each implies the ones before it. The ids
 * are {@code quiver.h}'s {@code QV_ISA_*} values.
 */
public enum Isa {
    /** Plain C, any x86-64. */
    PORTABLE(0, 1),
    /** SSE4.1: BLAKE3 over 4 lanes. */
    SSE41(1, 4),
    /** AVX2: BLAKE3 over 8 lanes. */
    AVX2(2, 8),
    /** AVX-512 F/VL/BW: BLAKE3 over 16 lanes. */
    AVX512(3, 16),
    /** AVX-512 plus GFNI: GF(2^8) kernels with GF2P8MULB; BLAKE3 as AVX-512. */
    GFNI(4, 16);

    private final int id;
    private final int blake3Lanes;

    Isa(int id, int blake3Lanes) {
        this.id = id;
        this.blake3Lanes = blake3Lanes;
    }

    /** The {@code QV_ISA_*} value of this tier. */
    public int id() {
        return id;
    }

    /** How many inputs this tier's BLAKE3 {@code hash_many} compresses at once. */
    public int blake3Lanes() {
        return blake3Lanes;
    }

    /** The name used by {@code qv_isa_name()}, the override property and kernel names: {@code avx2}, ... */
    public String tierName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this tier has BLAKE3 kernels of its own (GFNI reuses AVX-512's). */
    public boolean hasOwnBlake3() {
        return this != GFNI;
    }

    /** Whether this tier has GF(2^8) kernels of its own (SSE4.1 runs the portable ones). */
    public boolean hasOwnGf() {
        return this != SSE41;
    }

    /** The tier called {@code name} (case-insensitive, surrounding blanks ignored). */
    public static Optional<Isa> byName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (Isa isa : values()) {
            if (isa.tierName().equals(wanted)) {
                return Optional.of(isa);
            }
        }
        return Optional.empty();
    }
}
