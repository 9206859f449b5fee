/*
 * GF(2^8) kernels (issue 3), shared by the qv_gf_*.c files; nothing here is exported (-fvisibility=hidden).
 *
 * Field: GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (0x11B), the field of AES and of GFNI's GF2P8MULB (Intel SDM,
 * "GF2P8MULB"). Every tier writes identical bytes; the wide tiers hand their tails to narrower ones.
 *
 * Shuffle tiers (AVX2, AVX-512BW) multiply by c with the split-nibble method: c·x = lo[x & 15] ^ hi[x >> 4], where
 * lo[i] = c·i and hi[i] = c·(i << 4) are two 16-entry tables that VPSHUFB looks up 32 (or 64) bytes at a time.
 * The tables of all 256 coefficients are generated once (qv_gf_tables.c), so no call spends time building them.
 */
#ifndef QV_GF_H
#define QV_GF_H

#include <stddef.h>
#include <stdint.h>

#ifndef QV_PRIVATE
#define QV_PRIVATE __attribute__((visibility("hidden")))
#endif

/* Sources per table block in the matrix kernels: tables for rows x QV_GF_SRC_BLOCK coefficients live on the stack. */
#define QV_GF_SRC_BLOCK 32

/* dst = c·src (mul) or dst ^= c·src (mul_add), len bytes. */
typedef void (*qv_gf_mul_fn)(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);

/*
 * Matrix times sources over the byte range [off, len) of every buffer:
 * dsts[r][i] (accumulate ? ^= : =) sum_{j < count} coeffs[r * coeff_stride + j] · srcs[j][i], for r < rows.
 * count == 0 with accumulate == 0 zeroes the range. A destination overlaps no source and no other destination
 * (the Java side guarantees it).
 */
typedef void (*qv_gf_matmul_fn)(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                                const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len,
                                int accumulate);

/* a·b in GF(2^8)/0x11B, bit by bit: the field's definition, the reference of the C self-test. */
static inline uint8_t qv_gf_mul_byte(uint8_t a, uint8_t b) {
    unsigned p = 0, x = a;
    for (int i = 0; i < 8; i++) {
        if (b & (1u << i)) {
            p ^= x;
        }
        x = (x << 1) ^ ((x & 0x80u) ? 0x11Bu : 0u);
    }
    return (uint8_t)p;
}

/* The split-nibble tables of every coefficient c: [c][i] = c·i, [c][16 + i] = c·(i << 4) (qv_gf_tables.c). */
QV_PRIVATE extern const uint8_t qv_gf_tables[256][32];

QV_PRIVATE void qv_gf_mul_portable(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_mul_add_portable(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_matmul_portable(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                                      const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len,
                                      int accumulate);

QV_PRIVATE void qv_gf_mul_avx2(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_mul_add_avx2(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_matmul_avx2(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                                  const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len,
                                  int accumulate);

QV_PRIVATE void qv_gf_mul_avx512(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_mul_add_avx512(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_matmul_avx512(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                                    const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len,
                                    int accumulate);

QV_PRIVATE void qv_gf_mul_gfni(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_mul_add_gfni(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len);
QV_PRIVATE void qv_gf_matmul_gfni(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                                  const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len,
                                  int accumulate);

#endif /* QV_GF_H */
