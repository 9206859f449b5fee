/*
 * GF(2^8) portable tier: the reference the SIMD tiers are tested against, and the code their tails fall back to.
 * Split-nibble lookups in plain C (two 16-byte tables per coefficient, see qv_gf.h).
 */
#include "qv_gf.h"

#include <string.h>

void qv_gf_mul_portable(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    const uint8_t *t = qv_gf_tables[c];
    for (size_t i = 0; i < len; i++) {
        dst[i] = (uint8_t)(t[src[i] & 15] ^ t[16 + (src[i] >> 4)]);
    }
}

void qv_gf_mul_add_portable(uint8_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    const uint8_t *t = qv_gf_tables[c];
    for (size_t i = 0; i < len; i++) {
        dst[i] ^= (uint8_t)(t[src[i] & 15] ^ t[16 + (src[i] >> 4)]);
    }
}

void qv_gf_matmul_portable(const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
                           const uint8_t *const *srcs, uint8_t *const *dsts, size_t off, size_t len, int accumulate) {
    if (off >= len) {
        return;
    }
    size_t n = len - off;
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *row = coeffs + r * coeff_stride;
        uint8_t *dst = dsts[r] + off;
        if (!accumulate) {
            if (count == 0) {
                memset(dst, 0, n);
                continue;
            }
            qv_gf_mul_portable(row[0], srcs[0] + off, dst, n);
        } else if (count > 0) {
            qv_gf_mul_add_portable(row[0], srcs[0] + off, dst, n);
        }
        for (size_t j = 1; j < count; j++) {
            qv_gf_mul_add_portable(row[j], srcs[j] + off, dst, n);
        }
    }
}
