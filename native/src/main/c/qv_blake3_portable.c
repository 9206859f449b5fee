/*
 * Portable BLAKE3 kernels: the compression function (BLAKE3 paper, section 2.2) and hash_many one input at a
 * time. The reference every SIMD tier is tested against, and where the wider tiers send their leftovers.
 */
#include "qv_internal.h"

const uint32_t qv_b3_iv[8] = {0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
                              0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u};


static inline uint32_t rotr32(uint32_t w, unsigned c) {
    return (w >> c) | (w << (32 - c));
}

/* The quarter-round G (paper, section 2.2). */
static inline void g(uint32_t v[16], size_t a, size_t b, size_t c, size_t d, uint32_t x, uint32_t y) {
    v[a] = v[a] + v[b] + x;
    v[d] = rotr32(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = rotr32(v[b] ^ v[c], 12);
    v[a] = v[a] + v[b] + y;
    v[d] = rotr32(v[d] ^ v[a], 8);
    v[c] = v[c] + v[d];
    v[b] = rotr32(v[b] ^ v[c], 7);
}

static inline void round_fn(uint32_t v[16], const uint32_t m[16], size_t r) {
    const uint8_t *s = qv_b3_schedule[r];
    /* columns, then diagonals */
    g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
}

static inline void compress_pre(uint32_t v[16], const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN],
                                uint8_t block_len, uint64_t counter, uint8_t flags) {
    uint32_t m[16];
    for (size_t i = 0; i < 16; i++) {
        m[i] = qv_load32_le(block + 4 * i);
    }
    for (size_t i = 0; i < 8; i++) {
        v[i] = cv[i];
    }
    v[8] = qv_b3_iv[0];
    v[9] = qv_b3_iv[1];
    v[10] = qv_b3_iv[2];
    v[11] = qv_b3_iv[3];
    v[12] = (uint32_t)counter;
    v[13] = (uint32_t)(counter >> 32);
    v[14] = block_len;
    v[15] = flags;
    for (size_t r = 0; r < 7; r++) {
        round_fn(v, m, r);
    }
}

void qv_b3_compress_in_place_portable(uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                                      uint64_t counter, uint8_t flags) {
    uint32_t v[16];
    compress_pre(v, cv, block, block_len, counter, flags);
    for (size_t i = 0; i < 8; i++) {
        cv[i] = v[i] ^ v[i + 8];
    }
}

void qv_b3_compress_xof_portable(const uint32_t cv[8], const uint8_t block[QV_B3_BLOCK_LEN], uint8_t block_len,
                                 uint64_t counter, uint8_t flags, uint8_t out[64]) {
    uint32_t v[16];
    compress_pre(v, cv, block, block_len, counter, flags);
    for (size_t i = 0; i < 8; i++) {
        qv_store32_le(out + 4 * i, v[i] ^ v[i + 8]);
        qv_store32_le(out + 32 + 4 * i, v[i + 8] ^ cv[i]);
    }
}

void qv_b3_hash_many_portable(const uint8_t *const *inputs, size_t num_inputs, size_t blocks, const uint32_t key[8],
                              uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                              uint8_t flags_end, uint8_t *out) {
    for (size_t i = 0; i < num_inputs; i++) {
        uint32_t cv[8];
        memcpy(cv, key, sizeof(cv));
        const uint8_t *in = inputs[i];
        for (size_t b = 0; b < blocks; b++) {
            uint8_t block_flags = flags;
            if (b == 0) {
                block_flags |= flags_start;
            }
            if (b + 1 == blocks) {
                block_flags |= flags_end;
            }
            qv_b3_compress_in_place_portable(cv, in + b * QV_B3_BLOCK_LEN, QV_B3_BLOCK_LEN, counter, block_flags);
        }
        for (size_t w = 0; w < 8; w++) {
            qv_store32_le(out + QV_B3_OUT_LEN * i + 4 * w, cv[w]);
        }
        if (increment_counter) {
            counter++;
        }
    }
}
