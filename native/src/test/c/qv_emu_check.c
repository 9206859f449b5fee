/*
 * Runs the AVX-512 hash_many, compiled against the plain-C intrinsic model in avx512emu/, and compares it with the
 * portable hash_many: 0..40 inputs (full batches of 16 plus leftovers for AVX2, SSE4.1 and portable), chunk and
 * parent shapes, counters that cross 2^32, with and without counter increments. Run: make emu-check
 */
#include <stdio.h>
#include <stdlib.h>

#include "qv_internal.h"

int main(void) {
    enum { MAX_INPUTS = 40, CHUNK = 1024 };
    static uint8_t data[MAX_INPUTS * CHUNK + 64];
    uint32_t seed = 99;
    for (size_t i = 0; i < sizeof(data); i++) {
        seed = seed * 1664525u + 1013904223u;
        data[i] = (uint8_t)(seed >> 24);
    }
    uint32_t key[8];
    for (int i = 0; i < 8; i++) {
        key[i] = 0x01020304u * (uint32_t)(i + 1);
    }
    const uint8_t *inputs[MAX_INPUTS];
    uint8_t want[MAX_INPUTS * 32];
    uint8_t got[MAX_INPUTS * 32];
    int failures = 0;
    int checks = 0;
    const uint64_t counters[] = {0, 5, 0xFFFFFFF8u, (uint64_t)1 << 40};
    for (size_t n = 0; n <= MAX_INPUTS; n++) {
        for (int shape = 0; shape < 2; shape++) {
            size_t blocks = shape == 0 ? 16 : 1;
            size_t stride = shape == 0 ? CHUNK : 64;
            for (size_t i = 0; i < n; i++) {
                inputs[i] = data + 1 + i * stride; /* unaligned */
            }
            for (size_t c = 0; c < sizeof(counters) / sizeof(counters[0]); c++) {
                for (int inc = 0; inc < 2; inc++) {
                    uint8_t flags = shape == 0 ? 0 : QV_B3_PARENT;
                    uint8_t start = shape == 0 ? QV_B3_CHUNK_START : 0;
                    uint8_t end = shape == 0 ? QV_B3_CHUNK_END : 0;
                    memset(want, 0, sizeof(want));
                    memset(got, 0, sizeof(got));
                    qv_b3_hash_many_portable(inputs, n, blocks, key, counters[c], inc, flags, start, end, want);
                    qv_b3_hash_many_avx512(inputs, n, blocks, key, counters[c], inc, flags, start, end, got);
                    checks++;
                    if (memcmp(want, got, sizeof(want)) != 0) {
                        failures++;
                        fprintf(stderr, "FAIL n=%zu blocks=%zu counter=%llu inc=%d\n", n, blocks,
                                (unsigned long long)counters[c], inc);
                    }
                }
            }
        }
    }
    printf("avx512 (emulated) vs portable: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
