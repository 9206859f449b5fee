/*
 * Standalone self-test of the GF(2^8) tiers, in the manner of ISA-L's *_test.c: every tier this CPU runs is checked
 * against a bit-by-bit reference on random data, lengths 0..130 and large, buffers flush against the end of their
 * allocation, unaligned pointers and every coefficient. Build and run: native/src/test/c/run-selftest.
 */
#include "qv_gf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tier {
    const char *name;
    int (*supported)(void);
    qv_gf_mul_fn mul, mul_add;
    qv_gf_matmul_fn matmul;
} tier;

static int always(void) { return 1; }
static int has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#ifdef QV_GF_MODEL
/* AVX-512 and GFNI files built against gfemu/immintrin.h: they run anywhere. */
static int has_avx512(void) { return has_avx2(); }
static int has_gfni(void) { return has_avx2(); }
#define MODEL_SUFFIX " (plain-C intrinsic model, not hardware)"
#else
static int has_avx512(void) { return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"); }
static int has_gfni(void) { return has_avx512() && __builtin_cpu_supports("gfni"); }
#define MODEL_SUFFIX ""
#endif

static const tier tiers[] = {
    {"portable", always, qv_gf_mul_portable, qv_gf_mul_add_portable, qv_gf_matmul_portable},
    {"avx2", has_avx2, qv_gf_mul_avx2, qv_gf_mul_add_avx2, qv_gf_matmul_avx2},
    {"avx512", has_avx512, qv_gf_mul_avx512, qv_gf_mul_add_avx512, qv_gf_matmul_avx512},
    {"gfni", has_gfni, qv_gf_mul_gfni, qv_gf_mul_add_gfni, qv_gf_matmul_gfni},
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint8_t rnd8(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint8_t)(rng >> 24);
}
static void fill(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = rnd8();
}

static int failures = 0;
static void check(int ok, const char *tier_name, const char *what, size_t len, unsigned c) {
    if (!ok) {
        if (failures++ < 20) fprintf(stderr, "FAIL %s %s len=%zu c=%u\n", tier_name, what, len, c);
    }
}

/* A buffer of n bytes ending exactly at the end of a malloc'ed block (plus `skew` for misalignment). */
static uint8_t *flush(uint8_t *block, size_t cap, size_t n) { return block + cap - n; }

#define CAP (1u << 20) + 256
#define MAXR 40
#define MAXK 40

static void test_mul(const tier *t) {
    static uint8_t sb[CAP], db[CAP], eb[CAP];
    size_t lens[140];
    size_t nl = 0;
    for (size_t l = 0; l <= 130; l++) lens[nl++] = l;
    lens[nl++] = 4096 + 17;
    lens[nl++] = 65536;
    lens[nl++] = 65536 + 63;
    for (size_t li = 0; li < nl; li++) {
        size_t len = lens[li];
        unsigned c_step = len > 200 ? 37 : 1; /* every coefficient on short lengths, a spread on long ones */
        for (unsigned c = 0; c < 256; c += c_step) {
            size_t skew = rnd8() & 63;
            uint8_t *src = flush(sb, CAP - skew, len), *dst = flush(db, CAP, len), *exp = eb;
            fill(src, len);
            fill(dst, len);
            memcpy(exp, dst, len);
            for (size_t i = 0; i < len; i++) exp[i] ^= qv_gf_mul_byte((uint8_t)c, src[i]);
            t->mul_add((uint8_t)c, src, dst, len);
            check(memcmp(dst, exp, len) == 0, t->name, "mul_add", len, c);
            for (size_t i = 0; i < len; i++) exp[i] = qv_gf_mul_byte((uint8_t)c, src[i]);
            t->mul((uint8_t)c, src, dst, len);
            check(memcmp(dst, exp, len) == 0, t->name, "mul", len, c);
        }
    }
}

static void test_matmul(const tier *t) {
    static uint8_t srcb[MAXK][4096 + 128], dstb[MAXR][4096 + 128], expb[MAXR][4096 + 128];
    static const size_t shapes[][2] = {{1, 1}, {1, 7}, {3, 5}, {4, 4}, {5, 9}, {8, 8}, {9, 33}, {16, 16}, {6, 3},
                                       {13, 1}, {2, 0}, {33, 40}, {40, 33}};
    size_t lens[] = {0, 1, 15, 31, 32, 33, 63, 64, 65, 95, 127, 128, 129, 130, 200, 1000, 4096 + 7};
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        size_t rows = shapes[si][0], count = shapes[si][1];
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            size_t len = lens[li];
            for (int accumulate = 0; accumulate < 2; accumulate++) {
                uint8_t coeffs[MAXR * MAXK + 8];
                size_t stride = count + (rnd8() & 3);
                fill(coeffs, sizeof coeffs);
                if (si == 0) coeffs[0] = (uint8_t)li; /* zero and small coefficients too */
                const uint8_t *srcs[MAXK];
                uint8_t *dsts[MAXR];
                for (size_t j = 0; j < count; j++) {
                    uint8_t *s = srcb[j] + (rnd8() & 63);
                    fill(s, len);
                    srcs[j] = s;
                }
                for (size_t r = 0; r < rows; r++) {
                    uint8_t *d = dstb[r] + (rnd8() & 63);
                    fill(d, len);
                    dsts[r] = d;
                    for (size_t i = 0; i < len; i++) {
                        uint8_t v = accumulate ? d[i] : 0;
                        for (size_t j = 0; j < count; j++) v ^= qv_gf_mul_byte(coeffs[r * stride + j], srcs[j][i]);
                        expb[r][i] = v;
                    }
                }
                /* The range [off, len) only: bytes before off must stay untouched. */
                size_t off = len > 3 ? rnd8() % 4 : 0;
                uint8_t before[MAXR][4];
                for (size_t r = 0; r < rows; r++) memcpy(before[r], dsts[r], off);
                t->matmul(coeffs, stride, rows, count, srcs, dsts, off, len, accumulate);
                for (size_t r = 0; r < rows; r++) {
                    int ok = memcmp(dsts[r] + off, expb[r] + off, len - off) == 0 && memcmp(dsts[r], before[r], off) == 0;
                    check(ok, t->name, accumulate ? "matmul(accumulate)" : "matmul", len, (unsigned)(rows * 1000 + count));
                }
            }
        }
    }
}

/* The generated tables (qv_gf_tables.c) against the field's definition. */
static void test_tables(void) {
    for (unsigned c = 0; c < 256; c++) {
        for (unsigned i = 0; i < 16; i++) {
            check(qv_gf_tables[c][i] == qv_gf_mul_byte((uint8_t)c, (uint8_t)i), "tables", "lo", i, c);
            check(qv_gf_tables[c][16 + i] == qv_gf_mul_byte((uint8_t)c, (uint8_t)(i << 4)), "tables", "hi", i, c);
        }
    }
}

int main(void) {
    int tested = 0;
    test_tables();
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
        const tier *t = &tiers[i];
        if (!t->supported()) {
            printf("SKIP %s: this CPU lacks the instructions (untested here)\n", t->name);
            continue;
        }
        int before = failures;
        test_mul(t);
        test_matmul(t);
        printf("%s %s%s\n", failures == before ? "PASS" : "FAIL", t->name, i >= 2 ? MODEL_SUFFIX : "");
        tested++;
    }
    printf("%d tier(s) tested, %d failure(s)\n", tested, failures);
    return failures == 0 ? 0 : 1;
}
