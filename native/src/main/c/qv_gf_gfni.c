/*
 * GF(2^8) GFNI tier: VGF2P8MULB multiplies 64 bytes by 64 bytes in GF(2^8)/0x11B, our field exactly (Intel SDM,
 * "GF2P8MULB"), so c·x is one instruction with c broadcast to every byte. Compiled with AVX-512 (F, VL, BW) and
 * -mgfni (Makefile).
 *
 * GF2P8MULB rather than GF2P8AFFINEQB: both are one uop with the same throughput on the cores that have them, but
 * MULB takes the coefficient itself (a byte broadcast), while AFFINEQB needs an 8x8 bit matrix per coefficient
 * whose bit order could not be checked on the development machine (no GFNI there). The matrix kernel precomputes
 * one broadcast vector per coefficient on the stack and feeds it to VGF2P8MULB as a memory operand, so the inner
 * loop is one multiply and one XOR per 64 bytes and coefficient.
 *
 * Not run on the development machine (Zen 3 has no GFNI): correct by construction; the tests skip it there and say
 * so. Tails shorter than 64 bytes go to the AVX2 tier.
 */
#include "qv_gf.h"

#include <immintrin.h>
#include <string.h>

#define AI static inline __attribute__((always_inline))

/* 64-byte coefficient vectors on the stack per matrix call: 256 coefficients. */
#define TABLE_BYTES 16384
#define ROWS 8
#define STRIP_SOURCE_BYTES (128 * 1024)

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
    const __m512i cv = _mm512_set1_epi8((char)c);
    size_t i = 0;
    for (; i + 256 <= len; i += 256) {
        __m512i p[4];
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            p[u] = _mm512_gf2p8mul_epi8(_mm512_loadu_si512((const void *)(src + i + 64 * u)), cv);
            if (accumulate) {
                p[u] = _mm512_xor_si512(p[u], _mm512_loadu_si512((const void *)(dst + i + 64 * u)));
            }
        }
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            _mm512_storeu_si512((void *)(dst + i + 64 * u), p[u]);
        }
    }
    for (; i + 64 <= len; i += 64) {
        __m512i p = _mm512_gf2p8mul_epi8(_mm512_loadu_si512((const void *)(src + i)), cv);
        if (accumulate) {
            p = _mm512_xor_si512(p, _mm512_loadu_si512((const void *)(dst + i)));
        }
        _mm512_storeu_si512((void *)(dst + i), p);
    }
    if (i < len) {
        if (accumulate) {
            qv_gf_mul_add_avx2(c, src + i, dst + i, len - i);
        } else {
            qv_gf_mul_avx2(c, src + i, dst + i, len - i);
        }
    }
}

void qv_gf_mul_gfni(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 0);
}

void qv_gf_mul_add_gfni(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 1);
}

/*
 * R destinations over [off, end), end - off a multiple of 64, from n sources; cvec[(j * R + r) * 64] holds
 * coefficient (r, j) in all 64 bytes.
 */
AI void dot_rows(const int R, const uint8_t *cvec, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                 size_t off, size_t end, int accumulate) {
    size_t i = off;
    for (; i + 128 <= end; i += 128) {
        __m512i a0[ROWS], a1[ROWS];
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            a0[r] = accumulate ? _mm512_loadu_si512((const void *)(dsts[r] + i)) : _mm512_setzero_si512();
            a1[r] = accumulate ? _mm512_loadu_si512((const void *)(dsts[r] + i + 64)) : _mm512_setzero_si512();
        }
        const uint8_t *cv = cvec;
        for (size_t j = 0; j < n; j++) {
            __m512i s0 = _mm512_loadu_si512((const void *)(srcs[j] + i));
            __m512i s1 = _mm512_loadu_si512((const void *)(srcs[j] + i + 64));
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                __m512i c = _mm512_load_si512((const void *)(cv + 64 * r));
                a0[r] = _mm512_xor_si512(a0[r], _mm512_gf2p8mul_epi8(s0, c));
                a1[r] = _mm512_xor_si512(a1[r], _mm512_gf2p8mul_epi8(s1, c));
            }
            cv += 64 * R;
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
        const uint8_t *cv = cvec;
        for (size_t j = 0; j < n; j++) {
            __m512i s = _mm512_loadu_si512((const void *)(srcs[j] + i));
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                a[r] = _mm512_xor_si512(a[r], _mm512_gf2p8mul_epi8(s, _mm512_load_si512((const void *)(cv + 64 * r))));
            }
            cv += 64 * R;
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            _mm512_storeu_si512((void *)(dsts[r] + i), a[r]);
        }
    }
}

static void dot_rows_any(size_t R, const uint8_t *cvec, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                         size_t off, size_t end, int accumulate) {
    switch (R) {
    case 8: dot_rows(8, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 7: dot_rows(7, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 6: dot_rows(6, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 5: dot_rows(5, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 4: dot_rows(4, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 3: dot_rows(3, cvec, n, srcs, dsts, off, end, accumulate); break;
    case 2: dot_rows(2, cvec, n, srcs, dsts, off, end, accumulate); break;
    default: dot_rows(1, cvec, n, srcs, dsts, off, end, accumulate); break;
    }
}

void qv_gf_matmul_gfni(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                       const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len, int accumulate) {
    if (off >= len || rows == 0) {
        return;
    }
    size_t vec_end = off + ((len - off) & ~(size_t)63);
    if (count == 0 || vec_end == off) {
        qv_gf_matmul_avx2(coeffs, coeff_stride, rows, count, srcs, dsts, off, len, accumulate);
        return;
    }
    _Alignas(64) uint8_t cvec[TABLE_BYTES];
    /* 256 vectors: a source block of 32 leaves room for 8 rows (one register group) per chunk. */
    size_t block = count < QV_GF_SRC_BLOCK ? count : QV_GF_SRC_BLOCK;
    size_t chunk_rows = TABLE_BYTES / (64 * block) / ROWS * ROWS;
    size_t strip = STRIP_SOURCE_BYTES / block;
    strip = strip < 1024 ? 1024 : strip & ~(size_t)127;
    for (size_t r0 = 0; r0 < rows; r0 += chunk_rows) {
        size_t nr = rows - r0 < chunk_rows ? rows - r0 : chunk_rows;
        for (size_t j0 = 0; j0 < count; j0 += block) {
            size_t nj = count - j0 < block ? count - j0 : block;
            int acc = accumulate || j0 > 0;
            uint8_t *cv = cvec;
            for (size_t g = 0; g < nr; g += ROWS) {
                size_t R = nr - g < ROWS ? nr - g : ROWS;
                for (size_t j = 0; j < nj; j++) {
                    for (size_t r = 0; r < R; r++) {
                        memset(cv, coeffs[(r0 + g + r) * coeff_stride + j0 + j], 64);
                        cv += 64;
                    }
                }
            }
            for (size_t s = off; s < vec_end; s += strip) {
                size_t e = vec_end - s < strip ? vec_end : s + strip;
                const uint8_t *gcv = cvec;
                for (size_t g = 0; g < nr; g += ROWS) {
                    size_t R = nr - g < ROWS ? nr - g : ROWS;
                    dot_rows_any(R, gcv, nj, srcs + j0, dsts + r0 + g, s, e, acc);
                    gcv += 64 * R * nj;
                }
            }
        }
    }
    if (vec_end < len) {
        qv_gf_matmul_avx2(coeffs, coeff_stride, rows, count, srcs, dsts, vec_end, len, accumulate);
    }
}
