/*
 * The lane-parallel core of hash_many, shared by the SSE4.1, AVX2 and AVX-512 files so the round logic is
 * written (and tested) once. Lane i of every vector belongs to input i: state word j of input i is lane i of
 * v[j], message word j is lane i of m[j] (the "transposed" layout of the BLAKE3 paper, section 5.3).
 *
 * The including file defines, before including this header, with its ISA flags in effect:
 *   QV_LANES                       lanes per vector
 *   vec_t                          the vector type
 *   add(a, b), xor_(a, b), set1(w), load_words(const uint32_t *)
 *   rot16(x), rot12(x), rot8(x), rot7(x)   rotations right by 16, 12, 8, 7 bits
 *   load_msg(inputs, offset, m)    m[j] lane i = word j of the 64 bytes at inputs[i] + offset
 *   store_cvs(h, out)              writes lane i's eight words h[0..7] to out + 32 * i
 * and gets hash_lanes(): one batch of QV_LANES inputs.
 */
#ifndef QV_BLAKE3_LANES_H
#define QV_BLAKE3_LANES_H

static inline __attribute__((always_inline)) void round_lanes(vec_t v[16], const vec_t m[16], size_t r) {
    const uint8_t *s = qv_b3_schedule[r];
    /* The four column G functions interleaved step by step, for instruction-level parallelism. */
    v[0] = add(add(v[0], m[s[0]]), v[4]);
    v[1] = add(add(v[1], m[s[2]]), v[5]);
    v[2] = add(add(v[2], m[s[4]]), v[6]);
    v[3] = add(add(v[3], m[s[6]]), v[7]);
    v[12] = rot16(xor_(v[12], v[0]));
    v[13] = rot16(xor_(v[13], v[1]));
    v[14] = rot16(xor_(v[14], v[2]));
    v[15] = rot16(xor_(v[15], v[3]));
    v[8] = add(v[8], v[12]);
    v[9] = add(v[9], v[13]);
    v[10] = add(v[10], v[14]);
    v[11] = add(v[11], v[15]);
    v[4] = rot12(xor_(v[4], v[8]));
    v[5] = rot12(xor_(v[5], v[9]));
    v[6] = rot12(xor_(v[6], v[10]));
    v[7] = rot12(xor_(v[7], v[11]));
    v[0] = add(add(v[0], m[s[1]]), v[4]);
    v[1] = add(add(v[1], m[s[3]]), v[5]);
    v[2] = add(add(v[2], m[s[5]]), v[6]);
    v[3] = add(add(v[3], m[s[7]]), v[7]);
    v[12] = rot8(xor_(v[12], v[0]));
    v[13] = rot8(xor_(v[13], v[1]));
    v[14] = rot8(xor_(v[14], v[2]));
    v[15] = rot8(xor_(v[15], v[3]));
    v[8] = add(v[8], v[12]);
    v[9] = add(v[9], v[13]);
    v[10] = add(v[10], v[14]);
    v[11] = add(v[11], v[15]);
    v[4] = rot7(xor_(v[4], v[8]));
    v[5] = rot7(xor_(v[5], v[9]));
    v[6] = rot7(xor_(v[6], v[10]));
    v[7] = rot7(xor_(v[7], v[11]));

    /* The four diagonal G functions: (0,5,10,15), (1,6,11,12), (2,7,8,13), (3,4,9,14). */
    v[0] = add(add(v[0], m[s[8]]), v[5]);
    v[1] = add(add(v[1], m[s[10]]), v[6]);
    v[2] = add(add(v[2], m[s[12]]), v[7]);
    v[3] = add(add(v[3], m[s[14]]), v[4]);
    v[15] = rot16(xor_(v[15], v[0]));
    v[12] = rot16(xor_(v[12], v[1]));
    v[13] = rot16(xor_(v[13], v[2]));
    v[14] = rot16(xor_(v[14], v[3]));
    v[10] = add(v[10], v[15]);
    v[11] = add(v[11], v[12]);
    v[8] = add(v[8], v[13]);
    v[9] = add(v[9], v[14]);
    v[5] = rot12(xor_(v[5], v[10]));
    v[6] = rot12(xor_(v[6], v[11]));
    v[7] = rot12(xor_(v[7], v[8]));
    v[4] = rot12(xor_(v[4], v[9]));
    v[0] = add(add(v[0], m[s[9]]), v[5]);
    v[1] = add(add(v[1], m[s[11]]), v[6]);
    v[2] = add(add(v[2], m[s[13]]), v[7]);
    v[3] = add(add(v[3], m[s[15]]), v[4]);
    v[15] = rot8(xor_(v[15], v[0]));
    v[12] = rot8(xor_(v[12], v[1]));
    v[13] = rot8(xor_(v[13], v[2]));
    v[14] = rot8(xor_(v[14], v[3]));
    v[10] = add(v[10], v[15]);
    v[11] = add(v[11], v[12]);
    v[8] = add(v[8], v[13]);
    v[9] = add(v[9], v[14]);
    v[5] = rot7(xor_(v[5], v[10]));
    v[6] = rot7(xor_(v[6], v[11]));
    v[7] = rot7(xor_(v[7], v[8]));
    v[4] = rot7(xor_(v[4], v[9]));
}

/* One batch of QV_LANES inputs of `blocks` blocks each; see qv_b3_hash_many_fn for the arguments. */
static inline void hash_lanes(const uint8_t *const *inputs, size_t blocks, const uint32_t key[8], uint64_t counter,
                              bool increment_counter, uint8_t flags, uint8_t flags_start, uint8_t flags_end,
                              uint8_t *out) {
    uint32_t counter_lo[QV_LANES] __attribute__((aligned(64)));
    uint32_t counter_hi[QV_LANES] __attribute__((aligned(64)));
    for (size_t i = 0; i < QV_LANES; i++) {
        uint64_t c = counter + (increment_counter ? i : 0);
        counter_lo[i] = (uint32_t)c;
        counter_hi[i] = (uint32_t)(c >> 32);
    }
    const vec_t lo = load_words(counter_lo);
    const vec_t hi = load_words(counter_hi);

    vec_t h[8];
    for (size_t j = 0; j < 8; j++) {
        h[j] = set1(key[j]);
    }
    for (size_t b = 0; b < blocks; b++) {
        uint8_t block_flags = flags;
        if (b == 0) {
            block_flags |= flags_start;
        }
        if (b + 1 == blocks) {
            block_flags |= flags_end;
        }
        vec_t m[16];
        load_msg(inputs, b * QV_B3_BLOCK_LEN, m);
        vec_t v[16] = {
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
            set1(qv_b3_iv[0]), set1(qv_b3_iv[1]), set1(qv_b3_iv[2]), set1(qv_b3_iv[3]),
            lo, hi, set1(QV_B3_BLOCK_LEN), set1(block_flags),
        };
        /* Spelled out so each round's schedule row is a compile-time constant. */
        round_lanes(v, m, 0);
        round_lanes(v, m, 1);
        round_lanes(v, m, 2);
        round_lanes(v, m, 3);
        round_lanes(v, m, 4);
        round_lanes(v, m, 5);
        round_lanes(v, m, 6);
        for (size_t j = 0; j < 8; j++) {
            h[j] = xor_(v[j], v[j + 8]);
        }
    }
    store_cvs(h, out);
}

#endif /* QV_BLAKE3_LANES_H */
