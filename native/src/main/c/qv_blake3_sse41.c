/*
 * BLAKE3 hash_many over 4 lanes with SSE4.1 (compiled with -msse4.1 only). Leftover inputs go to the portable
 * kernel.
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

/* Byte rotations are one PSHUFB; the others are two shifts and an OR. */
static inline vec_t rot16(vec_t x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
}

static inline vec_t rot12(vec_t x) {
    return _mm_or_si128(_mm_srli_epi32(x, 12), _mm_slli_epi32(x, 20));
}

static inline vec_t rot8(vec_t x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1));
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
