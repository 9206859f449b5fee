/*
 * The GF(2^8) API of quiver.h over a tier's kernels. Compiled for the baseline; the SIMD lives behind the table.
 * The Java side checks every bound before calling; these checks only keep a wrong call from crashing.
 */
#include "quiver.h"
#include "qv_internal.h"

int qv_gf_mul(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    const qv_kernels *k = qv_kernels_for(tier);
    if (k == NULL) {
        return QV_ERR_TIER;
    }
    if (c > 255 || (len > 0 && (src == NULL || dst == NULL))) {
        return QV_ERR_ARGUMENT;
    }
    if (len > 0) {
        k->gf.mul((uint8_t)c, src, dst, len);
    }
    return QV_OK;
}

int qv_gf_mul_add(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len) {
    const qv_kernels *k = qv_kernels_for(tier);
    if (k == NULL) {
        return QV_ERR_TIER;
    }
    if (c > 255 || (len > 0 && (src == NULL || dst == NULL))) {
        return QV_ERR_ARGUMENT;
    }
    if (len > 0 && c != 0) {
        k->gf.mul_add((uint8_t)c, src, dst, len);
    }
    return QV_OK;
}

int qv_gf_matmul_args(int tier, const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count, size_t len,
                      int accumulate,
                      uint8_t *d0, uint8_t *d1, uint8_t *d2, uint8_t *d3,
                      uint8_t *d4, uint8_t *d5, uint8_t *d6, uint8_t *d7,
                      uint8_t *d8, uint8_t *d9, uint8_t *d10, uint8_t *d11,
                      uint8_t *d12, uint8_t *d13, uint8_t *d14, uint8_t *d15,
                      const uint8_t *s0, const uint8_t *s1, const uint8_t *s2, const uint8_t *s3,
                      const uint8_t *s4, const uint8_t *s5, const uint8_t *s6, const uint8_t *s7,
                      const uint8_t *s8, const uint8_t *s9, const uint8_t *s10, const uint8_t *s11,
                      const uint8_t *s12, const uint8_t *s13, const uint8_t *s14, const uint8_t *s15) {
    const qv_kernels *k = qv_kernels_for(tier);
    if (k == NULL) {
        return QV_ERR_TIER;
    }
    if (rows > QV_GF_MAX_ROWS || count > QV_GF_MAX_SOURCES || (accumulate != 0 && accumulate != 1)) {
        return QV_ERR_ARGUMENT;
    }
    uint8_t *const dsts[QV_GF_MAX_ROWS] = {d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15};
    const uint8_t *const srcs[QV_GF_MAX_SOURCES] = {s0, s1, s2, s3, s4, s5, s6, s7,
                                                    s8, s9, s10, s11, s12, s13, s14, s15};
    if (len == 0 || rows == 0) {
        return QV_OK;
    }
    if (count > 0 && coeffs == NULL) {
        return QV_ERR_ARGUMENT;
    }
    for (size_t r = 0; r < rows; r++) {
        if (dsts[r] == NULL) {
            return QV_ERR_ARGUMENT;
        }
    }
    for (size_t j = 0; j < count; j++) {
        if (srcs[j] == NULL) {
            return QV_ERR_ARGUMENT;
        }
    }
    k->gf.matmul(coeffs, coeff_stride, rows, count, srcs, dsts, 0, len, accumulate);
    return QV_OK;
}
