/*
 * BLAKE3 hash_many over 8 lanes with AVX2 (compiled with -mavx2 only). Leftover inputs go to the SSE4.1 kernel,
 * which passes its own leftovers to the portable one.
 */
#include <immintrin.h>

#include "qv_internal.h"

/*
 * Scheduled for Zen 3 (the instruction order only; the code stays plain AVX2 and runs on any AVX2 CPU). GCC 12's
 * generic schedule keeps fewer of the sixteen state vectors in registers: 96 spill stores in hash_lanes against 85,
 * and about 5% lower throughput on the 1 MiB kernel benchmark on this Zen 3 (CPU-time best of 40, interleaved).
 */
#pragma GCC target("tune=znver3")

#define QV_LANES 8
typedef __m256i vec_t;

static inline vec_t add(vec_t a, vec_t b) {
    return _mm256_add_epi32(a, b);
}

static inline vec_t xor_(vec_t a, vec_t b) {
    return _mm256_xor_si256(a, b);
}

static inline vec_t set1(uint32_t w) {
    return _mm256_set1_epi32((int)w);
}

static inline vec_t load_words(const uint32_t *w) {
    return _mm256_loadu_si256((const __m256i *)w);
}

/*
 * Byte rotations are one VPSHUFB. The masks stay in memory operands (as in hand-written BLAKE3 assembly): kept in
 * registers by the compiler they would take two of the sixteen the state already needs, and cost spills.
 */
static const uint8_t ROT16_MASK[32] __attribute__((aligned(32))) = {
    2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13};
static const uint8_t ROT8_MASK[32] __attribute__((aligned(32))) = {
    1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12};

static inline vec_t rot16(vec_t x) {
    vec_t r;
    __asm__("vpshufb %1, %2, %0" : "=x"(r) : "m"(ROT16_MASK), "x"(x));
    return r;
}

static inline vec_t rot12(vec_t x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20));
}

static inline vec_t rot8(vec_t x) {
    vec_t r;
    __asm__("vpshufb %1, %2, %0" : "=x"(r) : "m"(ROT8_MASK), "x"(x));
    return r;
}

static inline vec_t rot7(vec_t x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25));
}

/*
 * 8x8 transpose of 32-bit words: out[j] lane i = r[i] lane j. First a 4x4 transpose inside each 128-bit half
 * for rows 0-3 and rows 4-7, then the halves are exchanged with VPERM2I128.
 */
static inline void transpose8(const vec_t r[8], vec_t out[8]) {
    vec_t u[2][4];
    for (size_t g = 0; g < 2; g++) {
        vec_t t0 = _mm256_unpacklo_epi32(r[4 * g], r[4 * g + 1]);
        vec_t t1 = _mm256_unpackhi_epi32(r[4 * g], r[4 * g + 1]);
        vec_t t2 = _mm256_unpacklo_epi32(r[4 * g + 2], r[4 * g + 3]);
        vec_t t3 = _mm256_unpackhi_epi32(r[4 * g + 2], r[4 * g + 3]);
        /* u[g][c] half k = word 4k + c of rows 4g..4g+3 */
        u[g][0] = _mm256_unpacklo_epi64(t0, t2);
        u[g][1] = _mm256_unpackhi_epi64(t0, t2);
        u[g][2] = _mm256_unpacklo_epi64(t1, t3);
        u[g][3] = _mm256_unpackhi_epi64(t1, t3);
    }
    for (size_t c = 0; c < 4; c++) {
        out[c] = _mm256_permute2x128_si256(u[0][c], u[1][c], 0x20);
        out[4 + c] = _mm256_permute2x128_si256(u[0][c], u[1][c], 0x31);
    }
}

static inline void load_msg(const uint8_t *const *inputs, size_t offset, vec_t m[16]) {
    for (size_t half = 0; half < 2; half++) {
        vec_t r[8];
        for (size_t i = 0; i < 8; i++) {
            r[i] = _mm256_loadu_si256((const __m256i *)(inputs[i] + offset + 32 * half));
        }
        transpose8(r, &m[8 * half]);
    }
    /* The next block of every lane is streamed from eight places; prefetching it keeps the loads ahead. */
    for (size_t i = 0; i < 8; i++) {
        _mm_prefetch((const char *)(inputs[i] + offset + 256), _MM_HINT_T0);
    }
}

static inline void store_cvs(const vec_t h[8], uint8_t *out) {
    vec_t rows[8];
    transpose8(h, rows);
    for (size_t i = 0; i < 8; i++) {
        _mm256_storeu_si256((__m256i *)(out + QV_B3_OUT_LEN * i), rows[i]);
    }
}

#include "qv_blake3_lanes.h"

void qv_b3_hash_many_avx2(const uint8_t *const *inputs, size_t num_inputs, size_t blocks, const uint32_t key[8],
                          uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                          uint8_t flags_end, uint8_t *out) {
    while (num_inputs >= QV_LANES) {
        hash_lanes(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
        if (increment_counter) {
            counter += QV_LANES;
        }
        inputs += QV_LANES;
        num_inputs -= QV_LANES;
        out += QV_LANES * QV_B3_OUT_LEN;
    }
    qv_b3_hash_many_sse41(inputs, num_inputs, blocks, key, counter, increment_counter, flags, flags_start,
                          flags_end, out);
}
