/*
 * BLAKE3 with SSE4.1 (compiled with -msse4.1 only): hash_many over 4 lanes, whose leftover inputs go to the
 * portable kernel, and the single-block compression with the state's four rows in four registers.
 */
#include <immintrin.h>

#include "qv_internal.h"

#define QV_LANES 4
typedef __m128i vec_t;

static inline vec_t add(vec_t a, vec_t b) {
    return _mm_add_epi32(a, b);
}

static inline vec_t xor_(vec_t a, vec_t b) {
    return _mm_xor_si128(a, b);
}

static inline vec_t set1(uint32_t w) {
    return _mm_set1_epi32((int)w);
}

static inline vec_t load_words(const uint32_t *w) {
    return _mm_loadu_si128((const __m128i *)w);
}

/*
 * Byte rotations are one PSHUFB with the mask as a memory operand, so the compiler does not keep two of the
 * sixteen registers (all needed by the state) for masks; see qv_blake3_avx2.c.
 */
static const uint8_t ROT16_MASK[16] __attribute__((aligned(16))) = {2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13};
static const uint8_t ROT8_MASK[16] __attribute__((aligned(16))) = {1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12};

static inline vec_t rot16(vec_t x) {
    __asm__("pshufb %1, %0" : "+x"(x) : "m"(ROT16_MASK));
    return x;
}

static inline vec_t rot12(vec_t x) {
    return _mm_or_si128(_mm_srli_epi32(x, 12), _mm_slli_epi32(x, 20));
}

static inline vec_t rot8(vec_t x) {
    __asm__("pshufb %1, %0" : "+x"(x) : "m"(ROT8_MASK));
    return x;
}

static inline vec_t rot7(vec_t x) {
    return _mm_or_si128(_mm_srli_epi32(x, 7), _mm_slli_epi32(x, 25));
}

/* 4x4 transpose of 32-bit words: out[c] lane i = in[i] lane c. */
static inline void transpose4(vec_t r0, vec_t r1, vec_t r2, vec_t r3, vec_t out[4]) {
    vec_t t0 = _mm_unpacklo_epi32(r0, r1);
    vec_t t1 = _mm_unpackhi_epi32(r0, r1);
    vec_t t2 = _mm_unpacklo_epi32(r2, r3);
    vec_t t3 = _mm_unpackhi_epi32(r2, r3);
    out[0] = _mm_unpacklo_epi64(t0, t2);
    out[1] = _mm_unpackhi_epi64(t0, t2);
    out[2] = _mm_unpacklo_epi64(t1, t3);
    out[3] = _mm_unpackhi_epi64(t1, t3);
}

static inline void load_msg(const uint8_t *const *inputs, size_t offset, vec_t m[16]) {
    for (size_t q = 0; q < 4; q++) {
        transpose4(_mm_loadu_si128((const __m128i *)(inputs[0] + offset + 16 * q)),
                   _mm_loadu_si128((const __m128i *)(inputs[1] + offset + 16 * q)),
                   _mm_loadu_si128((const __m128i *)(inputs[2] + offset + 16 * q)),
                   _mm_loadu_si128((const __m128i *)(inputs[3] + offset + 16 * q)), &m[4 * q]);
    }
}

static inline void store_cvs(const vec_t h[8], uint8_t *out) {
    vec_t lo[4];
    vec_t hi[4];
    transpose4(h[0], h[1], h[2], h[3], lo);
    transpose4(h[4], h[5], h[6], h[7], hi);
    for (size_t i = 0; i < 4; i++) {
        _mm_storeu_si128((__m128i *)(out + QV_B3_OUT_LEN * i), lo[i]);
        _mm_storeu_si128((__m128i *)(out + QV_B3_OUT_LEN * i + 16), hi[i]);
    }
}

#include "qv_blake3_lanes.h"

/* (a[d0], a[d1], b[d2], b[d3]) of 32-bit words: SHUFPS on integer data. */
#define SHUF2(a, b, d0, d1, d2, d3)                                                                                \
    _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(a), _mm_castsi128_ps(b), _MM_SHUFFLE(d3, d2, d1, d0)))

/*
 * One round on the state's rows (row r holds words 4r..4r+3): columns, then diagonals (paper, section 2.2). The
 * message comes as this round's four vectors: x = words 0,2,4,6 of the round's order, y = 1,3,5,7, z = 8,10,12,14,
 * w = 9,11,13,15 (first and second G inputs of the columns, then of the diagonals).
 */
static inline __attribute__((always_inline)) void round_rows(vec_t rows[4], vec_t x, vec_t y, vec_t z, vec_t w) {
    rows[0] = add(add(rows[0], x), rows[1]);
    rows[3] = rot16(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot12(xor_(rows[1], rows[2]));
    rows[0] = add(add(rows[0], y), rows[1]);
    rows[3] = rot8(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot7(xor_(rows[1], rows[2]));
    /* Rotate rows 1-3 so that lane i holds diagonal i: (0,5,10,15), (1,6,11,12), (2,7,8,13), (3,4,9,14). */
    rows[1] = _mm_shuffle_epi32(rows[1], _MM_SHUFFLE(0, 3, 2, 1));
    rows[2] = _mm_shuffle_epi32(rows[2], _MM_SHUFFLE(1, 0, 3, 2));
    rows[3] = _mm_shuffle_epi32(rows[3], _MM_SHUFFLE(2, 1, 0, 3));
    rows[0] = add(add(rows[0], z), rows[1]);
    rows[3] = rot16(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot12(xor_(rows[1], rows[2]));
    rows[0] = add(add(rows[0], w), rows[1]);
    rows[3] = rot8(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot7(xor_(rows[1], rows[2]));
    rows[1] = _mm_shuffle_epi32(rows[1], _MM_SHUFFLE(2, 1, 0, 3));
    rows[2] = _mm_shuffle_epi32(rows[2], _MM_SHUFFLE(1, 0, 3, 2));
    rows[3] = _mm_shuffle_epi32(rows[3], _MM_SHUFFLE(0, 3, 2, 1));
}

/*
 * The next round's message vectors from this round's, in registers: word i of the next round is word P[i] of this
 * one, P = {2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8} (paper, section 2.2). Worked out per lane:
 *   x' = (x1, y1, y3, x2)   y' = (x3, z1, x0, w2)   z' = (y0, z2, w0, w3)   w' = (w1, y2, z3, z0)
 */
static inline __attribute__((always_inline)) void permute_msg(vec_t *x, vec_t *y, vec_t *z, vec_t *w) {
    const vec_t X = *x;
    const vec_t Y = *y;
    const vec_t Z = *z;
    const vec_t W = *w;
    *x = _mm_shuffle_epi32(SHUF2(X, Y, 1, 2, 1, 3), _MM_SHUFFLE(1, 3, 2, 0));          /* (x1, x2, y1, y3) */
    vec_t t = _mm_shuffle_epi32(SHUF2(X, Z, 3, 0, 1, 1), _MM_SHUFFLE(3, 1, 2, 0));     /* (x3, z1, x0, z1) */
    *y = _mm_blend_epi16(t, _mm_shuffle_epi32(W, _MM_SHUFFLE(2, 2, 2, 2)), 0xC0);      /* lane 3 := w2 */
    *z = SHUF2(_mm_blend_epi16(Y, Z, 0x30), W, 0, 2, 0, 3);                           /* (y0, y1, z2, y3) */
    *w = SHUF2(_mm_blend_epi16(W, Y, 0x30), Z, 1, 2, 3, 0);                           /* (w0, w1, y2, w3) */
}

static inline void compress_rows(vec_t rows[4], const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                 uint8_t block_len, uint64_t counter, uint8_t flags) {
    const vec_t m0 = _mm_loadu_si128((const __m128i *)&block[0]);
    const vec_t m1 = _mm_loadu_si128((const __m128i *)&block[16]);
    const vec_t m2 = _mm_loadu_si128((const __m128i *)&block[32]);
    const vec_t m3 = _mm_loadu_si128((const __m128i *)&block[48]);
    vec_t x = SHUF2(m0, m1, 0, 2, 0, 2);
    vec_t y = SHUF2(m0, m1, 1, 3, 1, 3);
    vec_t z = SHUF2(m2, m3, 0, 2, 0, 2);
    vec_t w = SHUF2(m2, m3, 1, 3, 1, 3);
    rows[0] = _mm_loadu_si128((const __m128i *)&cv[0]);
    rows[1] = _mm_loadu_si128((const __m128i *)&cv[4]);
    rows[2] = _mm_loadu_si128((const __m128i *)&qv_b3_iv[0]);
    rows[3] = _mm_set_epi32((int)flags, (int)block_len, (int)(uint32_t)(counter >> 32), (int)(uint32_t)counter);
    round_rows(rows, x, y, z, w);
    for (int r = 1; r < 7; r++) {
        permute_msg(&x, &y, &z, &w);
        round_rows(rows, x, y, z, w);
    }
}

void qv_b3_compress_in_place_sse41(uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                                   uint64_t counter, uint8_t flags) {
    vec_t rows[4];
    compress_rows(rows, cv, block, block_len, counter, flags);
    _mm_storeu_si128((__m128i *)&cv[0], xor_(rows[0], rows[2]));
    _mm_storeu_si128((__m128i *)&cv[4], xor_(rows[1], rows[3]));
}

void qv_b3_compress_xof_sse41(const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                              uint64_t counter, uint8_t flags, uint8_t out[64]) {
    vec_t rows[4];
    compress_rows(rows, cv, block, block_len, counter, flags);
    _mm_storeu_si128((__m128i *)&out[0], xor_(rows[0], rows[2]));
    _mm_storeu_si128((__m128i *)&out[16], xor_(rows[1], rows[3]));
    _mm_storeu_si128((__m128i *)&out[32], xor_(rows[2], _mm_loadu_si128((const __m128i *)&cv[0])));
    _mm_storeu_si128((__m128i *)&out[48], xor_(rows[3], _mm_loadu_si128((const __m128i *)&cv[4])));
}

void qv_b3_hash_many_sse41(const uint8_t *const *inputs, size_t num_inputs, size_t blocks, const uint32_t key[8],
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
    qv_b3_hash_many_portable(inputs, num_inputs, blocks, key, counter, increment_counter, flags, flags_start,
                             flags_end, out);
}
