/*
 * BLAKE3 hash_many over 16 lanes with AVX-512 F (compiled with -mavx512f -mavx512vl -mavx512bw only). Leftover
 * inputs go to the AVX2 kernel (every AVX-512 CPU has AVX2), and from there down to SSE4.1 and portable.
 */
#include <immintrin.h>

#include "qv_internal.h"

#define QV_LANES 16
typedef __m512i vec_t;

static inline vec_t add(vec_t a, vec_t b) {
    return _mm512_add_epi32(a, b);
}

static inline vec_t xor_(vec_t a, vec_t b) {
    return _mm512_xor_si512(a, b);
}

static inline vec_t set1(uint32_t w) {
    return _mm512_set1_epi32((int)w);
}

static inline vec_t load_words(const uint32_t *w) {
    return _mm512_loadu_si512((const void *)w);
}

/* AVX-512 F rotates 32-bit lanes in one instruction (VPRORD). */
static inline vec_t rot16(vec_t x) {
    return _mm512_ror_epi32(x, 16);
}

static inline vec_t rot12(vec_t x) {
    return _mm512_ror_epi32(x, 12);
}

static inline vec_t rot8(vec_t x) {
    return _mm512_ror_epi32(x, 8);
}

static inline vec_t rot7(vec_t x) {
    return _mm512_ror_epi32(x, 7);
}

/*
 * 16x16 transpose of 32-bit words: m[j] lane i = word j of the 64 bytes at inputs[i] + offset. A 4x4 transpose
 * inside each 128-bit quarter for each group of four rows, then a 4x4 transpose of the quarters themselves with
 * VSHUFI32X4 (two passes: even/odd quarters, then again).
 */
static inline void load_msg(const uint8_t *const *inputs, size_t offset, vec_t m[16]) {
    vec_t u[4][4];
    for (size_t g = 0; g < 4; g++) {
        vec_t r0 = _mm512_loadu_si512((const void *)(inputs[4 * g] + offset));
        vec_t r1 = _mm512_loadu_si512((const void *)(inputs[4 * g + 1] + offset));
        vec_t r2 = _mm512_loadu_si512((const void *)(inputs[4 * g + 2] + offset));
        vec_t r3 = _mm512_loadu_si512((const void *)(inputs[4 * g + 3] + offset));
        vec_t t0 = _mm512_unpacklo_epi32(r0, r1);
        vec_t t1 = _mm512_unpackhi_epi32(r0, r1);
        vec_t t2 = _mm512_unpacklo_epi32(r2, r3);
        vec_t t3 = _mm512_unpackhi_epi32(r2, r3);
        /* u[c][g] quarter k = word 4k + c of rows 4g..4g+3 */
        u[0][g] = _mm512_unpacklo_epi64(t0, t2);
        u[1][g] = _mm512_unpackhi_epi64(t0, t2);
        u[2][g] = _mm512_unpacklo_epi64(t1, t3);
        u[3][g] = _mm512_unpackhi_epi64(t1, t3);
    }
    for (size_t c = 0; c < 4; c++) {
        /* p0 = [A.q0, A.q2, B.q0, B.q2], p1 = [A.q1, A.q3, B.q1, B.q3], p2/p3 likewise from C and D. */
        vec_t p0 = _mm512_shuffle_i32x4(u[c][0], u[c][1], _MM_SHUFFLE(2, 0, 2, 0));
        vec_t p1 = _mm512_shuffle_i32x4(u[c][0], u[c][1], _MM_SHUFFLE(3, 1, 3, 1));
        vec_t p2 = _mm512_shuffle_i32x4(u[c][2], u[c][3], _MM_SHUFFLE(2, 0, 2, 0));
        vec_t p3 = _mm512_shuffle_i32x4(u[c][2], u[c][3], _MM_SHUFFLE(3, 1, 3, 1));
        /* m[4k + c] = [A.qk, B.qk, C.qk, D.qk] */
        m[c] = _mm512_shuffle_i32x4(p0, p2, _MM_SHUFFLE(2, 0, 2, 0));
        m[8 + c] = _mm512_shuffle_i32x4(p0, p2, _MM_SHUFFLE(3, 1, 3, 1));
        m[4 + c] = _mm512_shuffle_i32x4(p1, p3, _MM_SHUFFLE(2, 0, 2, 0));
        m[12 + c] = _mm512_shuffle_i32x4(p1, p3, _MM_SHUFFLE(3, 1, 3, 1));
    }
    for (size_t i = 0; i < 16; i++) {
        _mm_prefetch((const char *)(inputs[i] + offset + 256), _MM_HINT_T0);
    }
}

/* Once per 16 chunks, so a plain store and scatter is cheap next to the 256 compressions that produced it. */
static inline void store_cvs(const vec_t h[8], uint8_t *out) {
    uint32_t words[8][16] __attribute__((aligned(64)));
    for (size_t j = 0; j < 8; j++) {
        _mm512_store_si512((void *)words[j], h[j]);
    }
    for (size_t i = 0; i < 16; i++) {
        for (size_t j = 0; j < 8; j++) {
            qv_store32_le(out + QV_B3_OUT_LEN * i + 4 * j, words[j][i]);
        }
    }
}

#include "qv_blake3_lanes.h"

void qv_b3_hash_many_avx512(const uint8_t *const *inputs, size_t num_inputs, size_t blocks, const uint32_t key[8],
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
    qv_b3_hash_many_avx2(inputs, num_inputs, blocks, key, counter, increment_counter, flags, flags_start,
                         flags_end, out);
}
