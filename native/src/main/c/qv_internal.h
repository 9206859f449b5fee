/*
 * Internal declarations shared by the C files; nothing here is exported (-fvisibility=hidden).
 */
#ifndef QV_INTERNAL_H
#define QV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define QV_PRIVATE __attribute__((visibility("hidden")))

#include "qv_gf.h"

/* BLAKE3 constants (the BLAKE3 paper, section 2). */
#define QV_B3_BLOCK_LEN 64
#define QV_B3_CHUNK_LEN 1024
#define QV_B3_OUT_LEN 32

#define QV_B3_CHUNK_START (1u << 0)
#define QV_B3_CHUNK_END (1u << 1)
#define QV_B3_PARENT (1u << 2)
#define QV_B3_ROOT (1u << 3)

QV_PRIVATE extern const uint32_t qv_b3_iv[8];

/*
 * Message word order per round: row r is the permutation of the BLAKE3 paper (section 2.2) applied r times.
 * Static in every file so the compiler folds the indices into the unrolled rounds instead of loading them.
 */
static const uint8_t qv_b3_schedule[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

/*
 * Compresses one block into cv (the chaining value becomes the first 8 output words).
 */
typedef void (*qv_b3_compress_in_place_fn)(uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                                           uint64_t counter, uint8_t flags);

/* Compresses one block and writes all 16 output words (the extended output of a root node). */
typedef void (*qv_b3_compress_xof_fn)(const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                                      uint64_t counter, uint8_t flags, uint8_t out[64]);

/*
 * Hashes num_inputs inputs of `blocks` whole blocks each, from chaining value `key`, and writes each input's
 * 32-byte chaining value to out + 32 * i. Input i uses counter + i when increment_counter, else counter. Block b
 * gets flags | (b == 0 ? flags_start : 0) | (b == blocks - 1 ? flags_end : 0). Chunks use blocks = 16 and
 * CHUNK_START/CHUNK_END; parents use blocks = 1 and PARENT. Outputs never overlap inputs.
 */
typedef void (*qv_b3_hash_many_fn)(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                   const uint32_t key[8], uint64_t counter, bool increment_counter, uint8_t flags,
                                   uint8_t flags_start, uint8_t flags_end, uint8_t *out);

/* GF(2^8) kernels (issue 3) of one tier; declared with the kernels themselves in qv_gf.h. */
typedef struct qv_gf_kernels {
    qv_gf_mul_fn mul_add;
    qv_gf_mul_fn mul;
    qv_gf_matmul_fn matmul;
} qv_gf_kernels;

/* One tier's kernels. Each tier has one const instance, built at compile time; see qv_dispatch.c. */
typedef struct qv_kernels {
    int tier;
    const char *name;
    qv_b3_compress_in_place_fn b3_compress_in_place;
    qv_b3_compress_xof_fn b3_compress_xof;
    qv_b3_hash_many_fn b3_hash_many;
    qv_gf_kernels gf;
} qv_kernels;

/* The kernels of `tier` (QV_ISA_DEFAULT for the default), or NULL when unknown or unsupported. */
QV_PRIVATE const qv_kernels *qv_kernels_for(int tier);

/* Per-tier BLAKE3 kernels (one file each; the wider ones hand leftover inputs to the narrower ones). */
QV_PRIVATE void qv_b3_compress_in_place_portable(uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                                 uint8_t block_len, uint64_t counter, uint8_t flags);
QV_PRIVATE void qv_b3_compress_xof_portable(const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                            uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);
QV_PRIVATE void qv_b3_hash_many_portable(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                         const uint32_t key[8], uint64_t counter, bool increment_counter,
                                         uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

QV_PRIVATE void qv_b3_compress_in_place_sse41(uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                              uint8_t block_len, uint64_t counter, uint8_t flags);
QV_PRIVATE void qv_b3_compress_xof_sse41(const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                         uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);
QV_PRIVATE void qv_b3_hash_many_sse41(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                      const uint32_t key[8], uint64_t counter, bool increment_counter,
                                      uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
QV_PRIVATE void qv_b3_hash_many_avx2(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                     const uint32_t key[8], uint64_t counter, bool increment_counter,
                                     uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
QV_PRIVATE void qv_b3_hash_many_avx512(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                       const uint32_t key[8], uint64_t counter, bool increment_counter,
                                       uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

static inline uint32_t qv_load32_le(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4); /* x86-64 only: little-endian, as BLAKE3 words are */
    return v;
}

static inline void qv_store32_le(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}

#endif /* QV_INTERNAL_H */
