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

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
