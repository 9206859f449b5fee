/*
 * A plain-C model of the few AVX-512 intrinsics qv_blake3_avx512.c uses, written from their definitions in the
 * Intel Intrinsics Guide, so the 16-lane kernel's logic (transposes, lane order, counters, leftovers) can be run
 * and compared with the portable kernel on a CPU without AVX-512, such as this project's Zen 3 build machine.
 * It checks our use of the intrinsics, not the silicon; qv_selftest on an AVX-512 machine checks the rest.
 * Used only by `make emu-check` in this directory: angle-bracket includes find this file before the system's.
 */
#ifndef QV_AVX512_EMU_IMMINTRIN_H
#define QV_AVX512_EMU_IMMINTRIN_H

#include <stdint.h>
#include <string.h>

typedef struct {
    uint32_t w[16];
} __m512i;

#define _MM_SHUFFLE(z, y, x, w) (((z) << 6) | ((y) << 4) | ((x) << 2) | (w))
#define _MM_HINT_T0 3
#define _mm_prefetch(p, hint) ((void)(p), (void)(hint))

static inline __m512i _mm512_loadu_si512(const void *p) {
    __m512i r;
    memcpy(r.w, p, 64);
    return r;
}

static inline void _mm512_store_si512(void *p, __m512i a) {
    memcpy(p, a.w, 64);
}

static inline __m512i _mm512_set1_epi32(int x) {
    __m512i r;
    for (int i = 0; i < 16; i++) {
        r.w[i] = (uint32_t)x;
    }
    return r;
}

static inline __m512i _mm512_add_epi32(__m512i a, __m512i b) {
    for (int i = 0; i < 16; i++) {
        a.w[i] += b.w[i];
    }
    return a;
}

static inline __m512i _mm512_xor_si512(__m512i a, __m512i b) {
    for (int i = 0; i < 16; i++) {
        a.w[i] ^= b.w[i];
    }
    return a;
}

static inline __m512i _mm512_ror_epi32(__m512i a, int n) {
    for (int i = 0; i < 16; i++) {
        a.w[i] = (a.w[i] >> n) | (a.w[i] << (32 - n));
    }
    return a;
}

/* Per 128-bit lane j: a0 b0 a1 b1 (lo) or a2 b2 a3 b3 (hi). */
static inline __m512i _mm512_unpacklo_epi32(__m512i a, __m512i b) {
    __m512i r;
    for (int j = 0; j < 4; j++) {
        r.w[4 * j] = a.w[4 * j];
        r.w[4 * j + 1] = b.w[4 * j];
        r.w[4 * j + 2] = a.w[4 * j + 1];
        r.w[4 * j + 3] = b.w[4 * j + 1];
    }
    return r;
}

static inline __m512i _mm512_unpackhi_epi32(__m512i a, __m512i b) {
    __m512i r;
    for (int j = 0; j < 4; j++) {
        r.w[4 * j] = a.w[4 * j + 2];
        r.w[4 * j + 1] = b.w[4 * j + 2];
        r.w[4 * j + 2] = a.w[4 * j + 3];
        r.w[4 * j + 3] = b.w[4 * j + 3];
    }
    return r;
}

/* Per 128-bit lane j: the low (lo) or high (hi) 64-bit halves of a then b. */
static inline __m512i _mm512_unpacklo_epi64(__m512i a, __m512i b) {
    __m512i r;
    for (int j = 0; j < 4; j++) {
        r.w[4 * j] = a.w[4 * j];
        r.w[4 * j + 1] = a.w[4 * j + 1];
        r.w[4 * j + 2] = b.w[4 * j];
        r.w[4 * j + 3] = b.w[4 * j + 1];
    }
    return r;
}

static inline __m512i _mm512_unpackhi_epi64(__m512i a, __m512i b) {
    __m512i r;
    for (int j = 0; j < 4; j++) {
        r.w[4 * j] = a.w[4 * j + 2];
        r.w[4 * j + 1] = a.w[4 * j + 3];
        r.w[4 * j + 2] = b.w[4 * j + 2];
        r.w[4 * j + 3] = b.w[4 * j + 3];
    }
    return r;
}

/* dst lanes 0, 1 from a and lanes 2, 3 from b, each chosen by two bits of imm. */
static inline __m512i _mm512_shuffle_i32x4(__m512i a, __m512i b, int imm) {
    __m512i r;
    for (int j = 0; j < 4; j++) {
        const __m512i *src = j < 2 ? &a : &b;
        int sel = (imm >> (2 * j)) & 3;
        memcpy(&r.w[4 * j], &src->w[4 * sel], 16);
    }
    return r;
}

#endif
