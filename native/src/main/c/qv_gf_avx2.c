/*
 * GF(2^8) AVX2 tier: split-nibble VPSHUFB (qv_gf.h), 32 bytes per shuffle. Compiled with -mavx2 (Makefile).
 *
 * Why it is faster than a straight port: the 16-byte nibble tables are stored once per coefficient and loaded with
 * VBROADCASTI128 (a pure load on Zen and Intel cores), so the shuffle ports only run the two VPSHUFBs per 32 bytes
 * and coefficient; the matrix kernel keeps ROWS destinations x 64 bytes in registers across all sources
 * of a block, and walks the buffers in strips small enough that a strip of every source stays in L2 while all row
 * groups consume it. mul/mul_add align the destination first; heads and tails shorter than 32 bytes run as scalar
 * lookups in the same tables, matrix tails go to the portable tier.
 */
#include "qv_gf.h"

#include <immintrin.h>
#include <string.h>

#define AI static inline __attribute__((always_inline))

/* Bytes of coefficient tables on the stack per matrix call: 512 coefficients. */
#define TABLE_BYTES 16384
/*
 * Destinations per pass. 6 x 2 accumulators leave too few of the 16 ymm registers for nibbles and tables, so GCC
 * spills a few, yet 6 measured 5-10% faster than 4 on 16x16 and 32x32 encodes: one pass fewer over the sources
 * (3 instead of 4 for 16 rows), which matters when the sources alias in L2 (Java heap arrays 64 KiB + 16 apart all
 * map to the same sets, so a strip does not stay in L2 between row groups).
 */
#define ROWS 6
/* Bytes of every source a strip covers, summed over the sources of a block: fits L2 with the destinations. */
#define STRIP_SOURCE_BYTES (128 * 1024)

/*
 * Loads 32 bytes into a register the compiler must keep: left alone, GCC 12 folds the same unaligned load into two
 * instructions (a load and a VPAND memory operand), and two loads that straddle a cache line measured ~10% slower
 * on misaligned (Java heap) buffers.
 */
AI __m256i load_once(const uint8_t *p) {
    __m256i x = _mm256_loadu_si256((const __m256i *)p);
    __asm__("" : "+x"(x));
    return x;
}

AI __m256i lo_nibbles(__m256i x, __m256i mask) {
    return _mm256_and_si256(x, mask);
}

AI __m256i hi_nibbles(__m256i x, __m256i mask) {
    return _mm256_and_si256(_mm256_srli_epi16(x, 4), mask);
}

AI __m256i mul32(__m256i tlo, __m256i thi, __m256i lo, __m256i hi) {
    return _mm256_xor_si256(_mm256_shuffle_epi8(tlo, lo), _mm256_shuffle_epi8(thi, hi));
}

/* c·src into (or, accumulating, onto) dst for a head or tail shorter than a vector, with c's tables t. */
AI void scalar_range(const uint8_t t[32], const uint8_t *src, uint8_t *dst, size_t n, const int accumulate) {
    for (size_t i = 0; i < n; i++) {
        uint8_t p = (uint8_t)(t[src[i] & 15] ^ t[16 + (src[i] >> 4)]);
        dst[i] = accumulate ? (uint8_t)(dst[i] ^ p) : p;
    }
}

AI void mul_any(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len, const int accumulate) {
    const uint8_t *t = qv_gf_tables[c];
    /*
     * Align the destination to 32 bytes first: buffers from the Java heap are only 8-byte aligned, and a loop of
     * unaligned loads and stores that straddle cache lines measured ~30% slower; a source sharing the destination's
     * misalignment (the common case) then comes out aligned too. Head and tail reuse the tables built once here
     * (short calls are dominated by table building otherwise).
     */
    size_t head = (size_t)(-(uintptr_t)dst) & 31;
    head = head < len ? head : len;
    scalar_range(t, src, dst, head, accumulate);
    src += head;
    dst += head;
    len -= head;
    const __m256i tlo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
    const __m256i thi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t + 16)));
    const __m256i mask = _mm256_set1_epi8(0x0f);
    size_t i = 0;
    for (; i + 128 <= len; i += 128) {
        __m256i s0 = load_once(src + i);
        __m256i s1 = load_once(src + i + 32);
        __m256i s2 = load_once(src + i + 64);
        __m256i s3 = load_once(src + i + 96);
        __m256i p0 = mul32(tlo, thi, lo_nibbles(s0, mask), hi_nibbles(s0, mask));
        __m256i p1 = mul32(tlo, thi, lo_nibbles(s1, mask), hi_nibbles(s1, mask));
        __m256i p2 = mul32(tlo, thi, lo_nibbles(s2, mask), hi_nibbles(s2, mask));
        __m256i p3 = mul32(tlo, thi, lo_nibbles(s3, mask), hi_nibbles(s3, mask));
        if (accumulate) {
            p0 = _mm256_xor_si256(p0, _mm256_loadu_si256((const __m256i *)(dst + i)));
            p1 = _mm256_xor_si256(p1, _mm256_loadu_si256((const __m256i *)(dst + i + 32)));
            p2 = _mm256_xor_si256(p2, _mm256_loadu_si256((const __m256i *)(dst + i + 64)));
            p3 = _mm256_xor_si256(p3, _mm256_loadu_si256((const __m256i *)(dst + i + 96)));
        }
        _mm256_storeu_si256((__m256i *)(dst + i), p0);
        _mm256_storeu_si256((__m256i *)(dst + i + 32), p1);
        _mm256_storeu_si256((__m256i *)(dst + i + 64), p2);
        _mm256_storeu_si256((__m256i *)(dst + i + 96), p3);
    }
    for (; i + 32 <= len; i += 32) {
        __m256i s = load_once(src + i);
        __m256i p = mul32(tlo, thi, lo_nibbles(s, mask), hi_nibbles(s, mask));
        if (accumulate) {
            p = _mm256_xor_si256(p, _mm256_loadu_si256((const __m256i *)(dst + i)));
        }
        _mm256_storeu_si256((__m256i *)(dst + i), p);
    }
    scalar_range(t, src + i, dst + i, len - i, accumulate);
}

void qv_gf_mul_avx2(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 0);
}

void qv_gf_mul_add_avx2(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    mul_any(c, src, dst, len, 1);
}

/*
 * R destinations (R <= ROWS) over [off, end), end - off a multiple of 32, from n sources whose tables are
 * tbl[(j * R + r) * 32] (lo 16 bytes, hi 16 bytes). accumulate: start from the destination instead of zero.
 */
AI void dot_rows(const int R, const uint8_t *tbl, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                 size_t off, size_t end, int accumulate) {
    const __m256i mask = _mm256_set1_epi8(0x0f);
    size_t i = off;
    for (; i + 64 <= end; i += 64) {
        __m256i a0[ROWS], a1[ROWS];
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            if (accumulate) {
                a0[r] = _mm256_loadu_si256((const __m256i *)(dsts[r] + i));
                a1[r] = _mm256_loadu_si256((const __m256i *)(dsts[r] + i + 32));
            } else {
                a0[r] = _mm256_setzero_si256();
                a1[r] = _mm256_setzero_si256();
            }
        }
        const uint8_t *t = tbl;
        for (size_t j = 0; j < n; j++) {
            __m256i s0 = load_once(srcs[j] + i);
            __m256i s1 = load_once(srcs[j] + i + 32);
            __m256i l0 = lo_nibbles(s0, mask), h0 = hi_nibbles(s0, mask);
            __m256i l1 = lo_nibbles(s1, mask), h1 = hi_nibbles(s1, mask);
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                __m256i tlo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t + 32 * r)));
                __m256i thi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t + 32 * r + 16)));
                a0[r] = _mm256_xor_si256(a0[r], mul32(tlo, thi, l0, h0));
                a1[r] = _mm256_xor_si256(a1[r], mul32(tlo, thi, l1, h1));
            }
            t += 32 * R;
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            _mm256_storeu_si256((__m256i *)(dsts[r] + i), a0[r]);
            _mm256_storeu_si256((__m256i *)(dsts[r] + i + 32), a1[r]);
        }
    }
    if (i < end) { /* one 32-byte step */
        __m256i a[ROWS];
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            a[r] = accumulate ? _mm256_loadu_si256((const __m256i *)(dsts[r] + i)) : _mm256_setzero_si256();
        }
        const uint8_t *t = tbl;
        for (size_t j = 0; j < n; j++) {
            __m256i s = load_once(srcs[j] + i);
            __m256i l = lo_nibbles(s, mask), h = hi_nibbles(s, mask);
#pragma GCC unroll 8
            for (int r = 0; r < R; r++) {
                __m256i tlo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t + 32 * r)));
                __m256i thi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t + 32 * r + 16)));
                a[r] = _mm256_xor_si256(a[r], mul32(tlo, thi, l, h));
            }
            t += 32 * R;
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            _mm256_storeu_si256((__m256i *)(dsts[r] + i), a[r]);
        }
    }
}

static void dot_rows_any(size_t R, const uint8_t *tbl, size_t n, const uint8_t *const *srcs, uint8_t *const *dsts,
                         size_t off, size_t end, int accumulate) {
    switch (R) {
    case 6: dot_rows(6, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 5: dot_rows(5, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 4: dot_rows(4, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 3: dot_rows(3, tbl, n, srcs, dsts, off, end, accumulate); break;
    case 2: dot_rows(2, tbl, n, srcs, dsts, off, end, accumulate); break;
    default: dot_rows(1, tbl, n, srcs, dsts, off, end, accumulate); break;
    }
}

void qv_gf_matmul_avx2(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                       const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len, int accumulate) {
    if (off >= len || rows == 0) {
        return;
    }
    size_t vec_end = off + ((len - off) & ~(size_t)31);
    if (count == 0 || vec_end == off) {
        qv_gf_matmul_portable(coeffs, coeff_stride, rows, count, srcs, dsts, off, len, accumulate);
        return;
    }
    _Alignas(64) uint8_t tbl[TABLE_BYTES];
    size_t block = count < QV_GF_SRC_BLOCK ? count : QV_GF_SRC_BLOCK;
    /* Rows whose tables for one source block fit the stack buffer, a multiple of ROWS. */
    size_t chunk_rows = TABLE_BYTES / (32 * block) / ROWS * ROWS;
    size_t strip = STRIP_SOURCE_BYTES / block;
    strip = strip < 1024 ? 1024 : strip & ~(size_t)63;
    for (size_t r0 = 0; r0 < rows; r0 += chunk_rows) {
        size_t nr = rows - r0 < chunk_rows ? rows - r0 : chunk_rows;
        for (size_t j0 = 0; j0 < count; j0 += block) {
            size_t nj = count - j0 < block ? count - j0 : block;
            int acc = accumulate || j0 > 0;
            /* Tables grouped by row group, then source, then row: dot_rows walks them in order. */
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
        qv_gf_matmul_portable(coeffs, coeff_stride, rows, count, srcs, dsts, vec_end, len, accumulate);
    }
}
