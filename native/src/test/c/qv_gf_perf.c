#define _POSIX_C_SOURCE 200809L
/*
 * Rough C-level throughput of the GF(2^8) kernels of the tiers this CPU runs, next to ISA-L's in the same process
 * (as ISA-L's *_perf.c). Not a test and not the benchmark of record (that is JMH in bench); a tuning aid.
 * Build and run: native/src/test/c/run-perf (needs libisal-dev).
 */
#include "qv_gf.h"

#include <isa-l/erasure_code.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: other processes on this shared machine do not count */
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Best of ROUNDS windows of 0.1 s of thread CPU time, alternating the two contenders so both see the same machine load. */
#define ROUNDS 15
#define PAIR(label_a, label_b, bytes, stmt_a, stmt_b)                                                           \
    do {                                                                                                         \
        double best_a = 0, best_b = 0;                                                                           \
        int batch = (bytes) >= (4u << 20) ? 1 : (int)((4u << 20) / (bytes));                                    \
        for (int round = 0; round < ROUNDS; round++) {                                                           \
            for (int side = 0; side < 2; side++) {                                                               \
                long iters = 0;                                                                                  \
                double t0 = now(), t1;                                                                           \
                do { /* reading the CPU-time clock is a system call: amortise it */                              \
                    for (int q = 0; q < batch; q++) {                                                            \
                        if (side == 0) { stmt_a; } else { stmt_b; }                                              \
                    }                                                                                            \
                    iters += batch;                                                                              \
                    t1 = now();                                                                                  \
                } while (t1 - t0 < 0.1);                                                                         \
                double gbps = (double)(bytes) * iters / (t1 - t0) / 1e9;                                         \
                if (side == 0 && gbps > best_a) best_a = gbps;                                                   \
                if (side == 1 && gbps > best_b) best_b = gbps;                                                   \
            }                                                                                                    \
        }                                                                                                        \
        printf("%-34s %7.2f GB/s | %-34s %7.2f GB/s | ratio %.2f\n", label_a, best_a, label_b, best_b,          \
               best_b / best_a);                                                                                 \
    } while (0)

int main(int argc, char **argv) {
    size_t len = argc > 1 ? strtoul(argv[1], NULL, 0) : 65536;
    int k = argc > 2 ? atoi(argv[2]) : 16, m = argc > 3 ? atoi(argv[3]) : 16;
    /*
     * Misalignment of every buffer (a byte[]'s first element is only 8-byte aligned), or "mixed": buffer i at
     * 8 * i mod 64, as consecutive heap arrays come out.
     */
    int mixed = argc > 4 && strcmp(argv[4], "mixed") == 0;
    /* "heap": back to back with a 16-byte header each, as a JVM allocates new byte[len] after new byte[len]. */
    int heap = argc > 4 && strcmp(argv[4], "heap") == 0;
    uint8_t *arena = heap ? aligned_alloc(4096, 128 * (len + 16) + 4096) : NULL;
    size_t skew = argc > 4 && !mixed && !heap ? strtoul(argv[4], NULL, 0) : 0;
    uint8_t *src[64], *dst[64];
    for (int i = 0; i < 64; i++) {
        src[i] = heap ? arena + 16 + (size_t)i * (len + 16)
                      : (uint8_t *)aligned_alloc(64, len + 64) + (mixed ? (size_t)(8 * i) % 64 : skew);
        dst[i] = heap ? arena + 16 + (size_t)(64 + i) * (len + 16)
                      : (uint8_t *)aligned_alloc(64, len + 64) + (mixed ? (size_t)(8 * i + 24) % 64 : skew);
        for (size_t b = 0; b < len; b++) src[i][b] = (uint8_t)(rand()), dst[i][b] = 0;
    }
    uint8_t coeffs[64 * 64], c = 0x57;
    for (int i = 0; i < 64 * 64; i++) coeffs[i] = (uint8_t)(rand() | 1);
    unsigned char *tbls = malloc(32 * 64 * 64);
    char label[80], label2[80];

    ec_init_tables(1, 1, &c, tbls);
    PAIR("isal gf_vect_mad", "ours avx2 mul_add", len, gf_vect_mad((int)len, 1, 0, tbls, src[0], dst[0]),
         qv_gf_mul_add_avx2(c, src[0], dst[0], len));

    ec_init_tables(k, m, coeffs, tbls);
    /* bytes: k sources of len (ISA-L's own perf counts (k + m) * len; ratios are what matter). */
    snprintf(label, sizeof label, "isal ec_encode_data %dx%d", k, m);
    snprintf(label2, sizeof label2, "ours avx2 matmul %dx%d", k, m);
    PAIR(label, label2, (size_t)k * len, ec_encode_data((int)len, k, m, tbls, src, dst),
         qv_gf_matmul_avx2(coeffs, (size_t)k, (size_t)m, (size_t)k, (const uint8_t *const *)src, dst, 0, len, 0));
    return 0;
}
