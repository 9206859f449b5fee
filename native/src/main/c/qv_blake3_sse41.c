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

/* One round on the state's rows (row r holds words 4r..4r+3): columns, then diagonals (paper, section 2.2). */
static inline __attribute__((always_inline)) void round_rows(vec_t rows[4], const uint32_t m[16], size_t r) {
    const uint8_t *s = qv_b3_schedule[r];
    vec_t mx = _mm_set_epi32((int)m[s[6]], (int)m[s[4]], (int)m[s[2]], (int)m[s[0]]);
    vec_t my = _mm_set_epi32((int)m[s[7]], (int)m[s[5]], (int)m[s[3]], (int)m[s[1]]);
    rows[0] = add(add(rows[0], mx), rows[1]);
    rows[3] = rot16(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot12(xor_(rows[1], rows[2]));
    rows[0] = add(add(rows[0], my), rows[1]);
    rows[3] = rot8(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot7(xor_(rows[1], rows[2]));
    /* Rotate rows 1-3 so that lane i holds diagonal i: (0,5,10,15), (1,6,11,12), (2,7,8,13), (3,4,9,14). */
    rows[1] = _mm_shuffle_epi32(rows[1], _MM_SHUFFLE(0, 3, 2, 1));
    rows[2] = _mm_shuffle_epi32(rows[2], _MM_SHUFFLE(1, 0, 3, 2));
    rows[3] = _mm_shuffle_epi32(rows[3], _MM_SHUFFLE(2, 1, 0, 3));
    mx = _mm_set_epi32((int)m[s[14]], (int)m[s[12]], (int)m[s[10]], (int)m[s[8]]);
    my = _mm_set_epi32((int)m[s[15]], (int)m[s[13]], (int)m[s[11]], (int)m[s[9]]);
    rows[0] = add(add(rows[0], mx), rows[1]);
    rows[3] = rot16(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot12(xor_(rows[1], rows[2]));
    rows[0] = add(add(rows[0], my), rows[1]);
    rows[3] = rot8(xor_(rows[3], rows[0]));
    rows[2] = add(rows[2], rows[3]);
    rows[1] = rot7(xor_(rows[1], rows[2]));
    rows[1] = _mm_shuffle_epi32(rows[1], _MM_SHUFFLE(2, 1, 0, 3));
    rows[2] = _mm_shuffle_epi32(rows[2], _MM_SHUFFLE(1, 0, 3, 2));
    rows[3] = _mm_shuffle_epi32(rows[3], _MM_SHUFFLE(0, 3, 2, 1));
}

static inline void compress_rows(vec_t rows[4], const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                 uint8_t block_len, uint64_t counter, uint8_t flags) {
    uint32_t m[16];
    memcpy(m, block, sizeof(m)); /* little-endian words */
    rows[0] = _mm_loadu_si128((const __m128i *)&cv[0]);
    rows[1] = _mm_loadu_si128((const __m128i *)&cv[4]);
    rows[2] = _mm_loadu_si128((const __m128i *)&qv_b3_iv[0]);
    rows[3] = _mm_set_epi32((int)flags, (int)block_len, (int)(uint32_t)(counter >> 32), (int)(uint32_t)counter);
    round_rows(rows, m, 0);
    round_rows(rows, m, 1);
    round_rows(rows, m, 2);
    round_rows(rows, m, 3);
    round_rows(rows, m, 4);
    round_rows(rows, m, 5);
    round_rows(rows, m, 6);
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
