/*
 * quiver.h: the only header the Java bindings (dev.quiver.simd.ffm) bind.
 *
 * Rules of this API (STYLE.md section 4): the caller allocates every buffer, the library never calls malloc,
 * functions that can fail return an int (QV_OK or a negative QV_ERR_*), and only the QV_API symbols below are
 * exported; everything else is built with -fvisibility=hidden. The Java side checks every offset and length
 * before a downcall; the C side still refuses NULL pointers and unknown tiers instead of crashing.
 */
#ifndef QUIVER_H
#define QUIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QV_API __attribute__((visibility("default")))

/* Return codes. */
#define QV_OK 0
/* The tier is unknown, compiled out, or not supported by this CPU. */
#define QV_ERR_TIER (-1)
/* A NULL pointer with a non-zero length, or a subtree argument outside the BLAKE3 tree rules. */
#define QV_ERR_ARGUMENT (-2)

/*
 * ISA tiers, narrowest first. A tier implies every tier below it. GFNI is AVX-512 (F, VL, BW) plus GFNI: it adds
 * GF(2^8) kernels and uses the AVX-512 BLAKE3 kernels. QV_ISA_DEFAULT names the tier chosen by qv_init (the best
 * this CPU runs) or by qv_select_isa.
 */
#define QV_ISA_DEFAULT (-1)
#define QV_ISA_PORTABLE 0
#define QV_ISA_SSE41 1
#define QV_ISA_AVX2 2
#define QV_ISA_AVX512 3
#define QV_ISA_GFNI 4
#define QV_ISA_COUNT 5

/* BLAKE3 flags the caller may pass (the kernel adds CHUNK_START, CHUNK_END, PARENT and ROOT itself). */
#define QV_BLAKE3_KEYED_HASH (1u << 4)
#define QV_BLAKE3_DERIVE_KEY_CONTEXT (1u << 5)
#define QV_BLAKE3_DERIVE_KEY_MATERIAL (1u << 6)

/*
 * Detects the CPU's features (CPUID, XGETBV) once and selects the best supported tier as the default.
 * Idempotent and thread-safe; every other function calls it implicitly. Returns the best supported tier.
 */
QV_API int qv_init(void);

/* The best tier this CPU and build support. */
QV_API int qv_best_isa(void);

/* 1 if `tier` is compiled in and this CPU runs it, else 0. */
QV_API int qv_tier_supported(int tier);

/* The name of `tier` ("portable", "sse41", "avx2", "avx512", "gfni"), or NULL for an unknown tier. */
QV_API const char *qv_tier_name(int tier);

/*
 * Makes `tier` the default (QV_ISA_DEFAULT in the calls below). QV_ERR_TIER, leaving the default unchanged, when
 * the tier is not supported.
 */
QV_API int qv_select_isa(int tier);

/* The default tier. */
QV_API int qv_isa(void);

/* The name of the default tier. */
QV_API const char *qv_isa_name(void);

/*
 * BLAKE3 of in[0, in_len) as one whole message, writing out_len bytes of extended output (from output byte 0).
 * key: eight words (the IV for plain hashing, the key for keyed hashing, the context key for derive-key
 * material); flags: 0, QV_BLAKE3_KEYED_HASH, QV_BLAKE3_DERIVE_KEY_CONTEXT or QV_BLAKE3_DERIVE_KEY_MATERIAL.
 */
QV_API int qv_blake3_hash(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t out_len);

/*
 * The 32-byte chaining value of the subtree over in[0, in_len), whose first chunk has index chunk_counter in the
 * message. in_len > 0, and chunk_counter is a multiple of the smallest power of two >= the input's chunk count
 * (1024-byte chunks, the last may be partial); else QV_ERR_ARGUMENT. Never the root: the caller finalises it.
 */
QV_API int qv_blake3_subtree_cv(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in, size_t in_len,
                                uint64_t chunk_counter, uint8_t cv_out[32]);

/*
 * GF(2^8) (issue 3): the field modulo x^8 + x^4 + x^3 + x + 1 (0x11B), GFNI's GF2P8MULB field. Coefficients are
 * 0..255 (else QV_ERR_ARGUMENT); buffers may be unaligned; a destination overlaps no source unless identical to it
 * (mul and mul_add only). Every tier writes the same bytes.
 */

/* The most destinations and sources one qv_gf_matmul_args call takes. */
#define QV_GF_MAX_ROWS 16
#define QV_GF_MAX_SOURCES 16

/* dst[i] = c·src[i] for i < len. */
QV_API int qv_gf_mul(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len);

/* dst[i] ^= c·src[i] for i < len. */
QV_API int qv_gf_mul_add(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len);

/*
 * Matrix times sources, with every buffer a separate argument (so a JVM can pass heap arrays to a critical
 * downcall, which admits heap memory only as direct arguments, never inside a native pointer array):
 * d_r[i] (accumulate ? ^= : =) sum_{j < count} coeffs[r * coeff_stride + j] · s_j[i] for r < rows, i < len.
 * rows <= QV_GF_MAX_ROWS, count <= QV_GF_MAX_SOURCES; the unused pointer arguments are ignored (pass NULL).
 * Destinations keep their values in registers across all sources, several at a time, and the buffers are walked
 * in strips that keep every source's strip in cache while all destinations consume it.
 */
QV_API int qv_gf_matmul_args(int tier, const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                             size_t len, int accumulate,
                             uint8_t *d0, uint8_t *d1, uint8_t *d2, uint8_t *d3,
                             uint8_t *d4, uint8_t *d5, uint8_t *d6, uint8_t *d7,
                             uint8_t *d8, uint8_t *d9, uint8_t *d10, uint8_t *d11,
                             uint8_t *d12, uint8_t *d13, uint8_t *d14, uint8_t *d15,
                             const uint8_t *s0, const uint8_t *s1, const uint8_t *s2, const uint8_t *s3,
                             const uint8_t *s4, const uint8_t *s5, const uint8_t *s6, const uint8_t *s7,
                             const uint8_t *s8, const uint8_t *s9, const uint8_t *s10, const uint8_t *s11,
                             const uint8_t *s12, const uint8_t *s13, const uint8_t *s14, const uint8_t *s15);

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
