/*
 * GF(2^8) AVX-512BW tier: split-nibble VPSHUFB on 64-byte registers (qv_gf.h), VPTERNLOGD folding both table
 * lookups into the accumulator in one instruction. Compiled with -mavx512f -mavx512vl -mavx512bw (Makefile).
 * The matrix kernel keeps ROWS destinations x 2 registers (128 bytes) in the 32 zmm registers across the sources
 * of a block; tails shorter than 64 bytes go to the AVX2 tier (every AVX-512BW CPU has AVX2).
 *
 * Not run on the development machine (Zen 3 has no AVX-512): correct by construction and by symmetry with the
 * tested AVX2 tier; the tests skip it there and say so.
 */
#include "qv_gf.h"

#include <immintrin.h>
#include <string.h>

#define AI static inline __attribute__((always_inline))

#define TABLE_BYTES 16384
#define ROWS 8
#define STRIP_SOURCE_BYTES (128 * 1024)
/* acc ^ a ^ b: the truth table of a three-input XOR (Intel SDM, VPTERNLOGD). */
#define XOR3 0x96

AI __m512i lo_nibbles(__m512i x, __m512i mask) {
    return _mm512_and_si512(x, mask);
}

AI __m512i hi_nibbles(__m512i x, __m512i mask) {
    return _mm512_and_si512(_mm512_srli_epi16(x, 4), mask);
}

/* acc ^ c·x, given x's nibbles and c's tables. */
AI __m512i mac64(__m512i acc, __m512i tlo, __m512i thi, __m512i lo, __m512i hi) {
    return _mm512_ternarylogic_epi32(acc, _mm512_shuffle_epi8(tlo, lo), _mm512_shuffle_epi8(thi, hi), XOR3);
}

AI __m512i table(const uint8_t *p) {
    return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)p));
}

AI void mul_any(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len, const int accumulate) {
    /* Align the destination to 64 bytes first (see qv_gf_avx2.c): the AVX2 tier takes the head. */
    size_t head = (size_t)(-(uintptr_t)dst) & 63;
    if (head > 0) {
        head = head < len ? head : len;
        if (accumulate) {
            qv_gf_mul_add_avx2(c, src, dst, head);
        } else {
            qv_gf_mul_avx2(c, src, dst, head);
        }
        src += head;
        dst += head;
        len -= head;
    }
    const uint8_t *t = qv_gf_tables[c];
    const __m512i tlo = table(t), thi = table(t + 16);
    const __m512i mask = _mm512_set1_epi8(0x0f);
    size_t i = 0;
    for (; i + 256 <= len; i += 256) {
        __m512i s[4], p[4];
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            s[u] = _mm512_loadu_si512((const void *)(src + i + 64 * u));
            p[u] = accumulate ? _mm512_loadu_si512((const void *)(dst + i + 64 * u)) : _mm512_setzero_si512();
            p[u] = mac64(p[u], tlo, thi, lo_nibbles(s[u], mask), hi_nibbles(s[u], mask));
        }
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            _mm512_storeu_si512((void *)(dst + i + 64 * u), p[u]);
        }
    }
    for (; i + 64 <= len; i += 64) {
        __m512i s = _mm512_loadu_si512((const void *)(src + i));
        __m512i p = accumulate ? _mm512_loadu_si512((const void *)(dst + i)) : _mm512_setzero_si512();
        _mm512_storeu_si512((void *)(dst + i), mac64(p, tlo, thi, lo_nibbles(s, mask), hi_nibbles(s, mask)));
    }
    if (i < len) {
        if (accumulate) {
            qv_gf_mul_add_avx2(c, src + i, dst + i, len - i);
        } else {
            qv_gf_mul_avx2(c, src + i, dst + i, len - i);
        }
    }
}

void qv_gf_mul_avx512(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 0);
}

void qv_gf_mul_add_avx512(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 1);
}

/* As dot_rows in qv_gf_avx2.c, 64-byte registers: [off, end) with end - off a multiple of 64. */
AI void dot_rows(const int R, const uint8_t *tbl, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                 size_t off, size_t end, int accumulate) {
    const __m512i mask = _mm512_set1_epi8(0x0f);
    size_t i = off;
    for (; i + 128 <= end; i += 128) {
        __m512i a0[ROWS], a1[ROWS];
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            a0[r] = accumulate ? _mm512_loadu_si512((const void *)(dsts[r] + i)) : _mm512_setzero_si512();
            a1[r] = accumulate ? _mm512_loadu_si512((const void *)(dsts[r] + i + 64)) : _mm512_setzero_si512();
        }
        const uint8_t *t = tbl;
        for (size_t j = 0; j < n; j++) {
            __m512i s0 = _mm512_loadu_si512((const void *)(srcs[j] + i));
            __m512i s1 = _mm512_loadu_si512((const void *)(srcs[j] + i + 64));
            __m512i l0 = lo_nibbles(s0, mask), h0 = hi_nibbles(s0, mask);
            __m512i l1 = lo_nibbles(s1, mask), h1 = hi_nibbles(s1, mask);
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                __m512i tlo = table(t + 32 * r), thi = table(t + 32 * r + 16);
                a0[r] = mac64(a0[r], tlo, thi, l0, h0);
                a1[r] = mac64(a1[r], tlo, thi, l1, h1);
            }
            t += 32 * R;
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            _mm512_storeu_si512((void *)(dsts[r] + i), a0[r]);
            _mm512_storeu_si512((void *)(dsts[r] + i + 64), a1[r]);
        }
    }
    if (i < end) { /* one 64-byte step */
        __m512i a[ROWS];
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            a[r] = accumulate ? _mm512_loadu_si512((const void *)(dsts[r] + i)) : _mm512_setzero_si512();
        }
        const uint8_t *t = tbl;
        for (size_t j = 0; j < n; j++) {
            __m512i s = _mm512_loadu_si512((const void *)(srcs[j] + i));
            __m512i l = lo_nibbles(s, mask), h = hi_nibbles(s, mask);
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                a[r] = mac64(a[r], table(t + 32 * r), table(t + 32 * r + 16), l, h);
            }
            t += 32 * R;
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            _mm512_storeu_si512((void *)(dsts[r] + i), a[r]);
        }
    }
}

static void dot_rows_any(size_t R, const uint8_t *tbl, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                         size_t off, size_t end, int accumulate) {
    switch (R) {
    case 8: dot_rows(8, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 7: dot_rows(7, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 6: dot_rows(6, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 5: dot_rows(5, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 4: dot_rows(4, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 3: dot_rows(3, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 2: dot_rows(2, tbl, n, srcs, dsts, off, end, accumulate); break;
    default: dot_rows(1, tbl, n, srcs, dsts, off, end, accumulate); break;
    }
}

void qv_gf_matmul_avx512(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                         const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len, int accumulate) {
    if (off >= len || rows == 0) {
        return;
    }
    size_t vec_end = off + ((len - off) & ~(size_t)63);
    if (count == 0 || vec_end == off) {
        qv_gf_matmul_avx2(coeffs, coeff_stride, rows, count, srcs, dsts, off, len, accumulate);
        return;
    }
    _Alignas(64) uint8_t tbl[TABLE_BYTES];
    size_t block = count < QV_GF_SRC_BLOCK ? count : QV_GF_SRC_BLOCK;
    size_t chunk_rows = TABLE_BYTES / (32 * block) / ROWS * ROWS;
    size_t strip = STRIP_SOURCE_BYTES / block;
    strip = strip < 1024 ? 1024 : strip & ~(size_t)127;
    for (size_t r0 = 0; r0 < rows; r0 += chunk_rows) {
        size_t nr = rows - r0 < chunk_rows ? rows - r0 : chunk_rows;
        for (size_t j0 = 0; j0 < count; j0 += block) {
            size_t nj = count - j0 < block ? count - j0 : block;
            int acc = accumulate || j0 > 0;
            uint8_t *t = tbl;
            for (size_t g = 0; g < nr; g += ROWS) {
                size_t R = nr - g < ROWS ? nr - g : ROWS;
                for (size_t j = 0; j < nj; j++) {
                    for (size_t r = 0; r < R; r++) {
                        memcpy(t, qv_gf_tables[coeffs[(r0 + g + r) * coeff_stride + j0 + j]], 32);
                        t += 32;
                    }
                }
            }
            for (size_t s = off; s < vec_end; s += strip) {
                size_t e = vec_end - s < strip ? vec_end : s + strip;
                const uint8_t *gt = tbl;
                for (size_t g = 0; g < nr; g += ROWS) {
                    size_t R = nr - g < ROWS ? nr - g : ROWS;
                    dot_rows_any(R, gt, nj, srcs + j0, dsts + r0 + g, s, e, acc);
                    gt += 32 * R * nj;
                }
            }
        }
    }
    if (vec_end < len) {
        qv_gf_matmul_avx2(coeffs, coeff_stride, rows, count, srcs, dsts, vec_end, len, accumulate);
    }
}
