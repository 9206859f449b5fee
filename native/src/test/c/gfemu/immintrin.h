/*
 * A plain-C model of the AVX-512 and GFNI intrinsics the GF(2^8) kernels use, written from the Intel SDM's
 * pseudo-code, so qv_gf_avx512.c and qv_gf_gfni.c can run on a CPU without AVX-512 or GFNI (the development
 * machine, Zen 3). It checks the kernels' logic (loops, heads, tails, strips, row groups, table layout) under the
 * model's reading of each instruction; it is not evidence that the hardware agrees. Only for the self-test:
 * run-selftest compiles those two files with -Igfemu instead of their ISA flags.
 */
#ifndef QV_GF_EMU_IMMINTRIN_H
#define QV_GF_EMU_IMMINTRIN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint8_t b[64]; } __m512i;
typedef struct { uint8_t b[16]; } __m128i;

static inline __m128i _mm_loadu_si128(const __m128i *p) {
    __m128i r;
    memcpy(r.b, p, 16);
    return r;
}

static inline __m512i _mm512_loadu_si512(const void *p) {
    __m512i r;
    memcpy(r.b, p, 64);
    return r;
}

/* VMOVDQA64: faults on an address that is not 64-byte aligned; the model aborts instead. */
static inline __m512i _mm512_load_si512(const void *p) {
    if (((uintptr_t)p & 63) != 0) {
        fprintf(stderr, "model: _mm512_load_si512 of unaligned %p\n", p);
        abort();
    }
    return _mm512_loadu_si512(p);
}

static inline void _mm512_storeu_si512(void *p, __m512i a) {
    memcpy(p, a.b, 64);
}

static inline __m512i _mm512_setzero_si512(void) {
    __m512i r;
    memset(r.b, 0, 64);
    return r;
}

static inline __m512i _mm512_set1_epi8(char x) {
    __m512i r;
    memset(r.b, (uint8_t)x, 64);
    return r;
}

static inline __m512i _mm512_and_si512(__m512i a, __m512i b) {
    for (int i = 0; i < 64; i++) a.b[i] &= b.b[i];
    return a;
}

static inline __m512i _mm512_xor_si512(__m512i a, __m512i b) {
    for (int i = 0; i < 64; i++) a.b[i] ^= b.b[i];
    return a;
}

/* VPSRLW: each 16-bit little-endian word shifted right logically. */
static inline __m512i _mm512_srli_epi16(__m512i a, unsigned n) {
    for (int i = 0; i < 64; i += 2) {
        uint16_t w = (uint16_t)(a.b[i] | a.b[i + 1] << 8);
        w = n > 15 ? 0 : (uint16_t)(w >> n);
        a.b[i] = (uint8_t)w;
        a.b[i + 1] = (uint8_t)(w >> 8);
    }
    return a;
}

/* VPSHUFB: within each 128-bit lane, byte i = 0 if b[i] bit 7, else a[lane + (b[i] & 15)]. */
static inline __m512i _mm512_shuffle_epi8(__m512i a, __m512i b) {
    __m512i r;
    for (int i = 0; i < 64; i++) {
        int lane = i & ~15;
        r.b[i] = (b.b[i] & 0x80) ? 0 : a.b[lane + (b.b[i] & 15)];
    }
    return r;
}

/* VPTERNLOGD: bit j of the result is bit (a_j << 2 | b_j << 1 | c_j) of imm. */
static inline __m512i _mm512_ternarylogic_epi32(__m512i a, __m512i b, __m512i c, int imm) {
    __m512i r;
    for (int i = 0; i < 64; i++) {
        uint8_t out = 0;
        for (int j = 0; j < 8; j++) {
            int idx = ((a.b[i] >> j) & 1) << 2 | ((b.b[i] >> j) & 1) << 1 | ((c.b[i] >> j) & 1);
            out |= (uint8_t)(((imm >> idx) & 1) << j);
        }
        r.b[i] = out;
    }
    return r;
}

/* VBROADCASTI32X4: the 128 bits into all four lanes. */
static inline __m512i _mm512_broadcast_i32x4(__m128i a) {
    __m512i r;
    for (int lane = 0; lane < 4; lane++) memcpy(r.b + 16 * lane, a.b, 16);
    return r;
}

/* VGF2P8MULB, as the SDM's gf2p8mul_byte: carry-less product, then reduction by 0x11B from bit 14 down. */
static inline __m512i _mm512_gf2p8mul_epi8(__m512i a, __m512i b) {
    __m512i r;
    for (int k = 0; k < 64; k++) {
        unsigned t = 0;
        for (int i = 0; i < 8; i++) {
            if ((b.b[k] >> i) & 1) t ^= (unsigned)a.b[k] << i;
        }
        for (int i = 14; i >= 8; i--) {
            if ((t >> i) & 1) t ^= 0x11Bu << (i - 8);
        }
        r.b[k] = (uint8_t)t;
    }
    return r;
}

#endif /* QV_GF_EMU_IMMINTRIN_H */
