/*
 * BLAKE3 over whole inputs, built on a tier's kernels: the tree (BLAKE3 paper, section 2.1: left subtrees are
 * complete with a power-of-two number of chunks), root finalisation with extended output, and subtree chaining
 * values. Compiled for the baseline; all SIMD lives behind the kernel table.
 *
 * Leaves of up to LEAF_CHUNKS chunks are hashed with hash_many over every whole chunk at once, then reduced level
 * by level with hash_many over every parent of a level at once, so each tier keeps all its lanes busy on both
 * chunks and parents. Above the leaves the tree is walked recursively (depth at most log2 of the chunk count), and
 * nothing but a few 64-byte blocks and one leaf's chaining values ever sits on the stack.
 */
#include "quiver.h"
#include "qv_internal.h"

/* A power of two and a multiple of every tier's degree; 64 chunks' CVs take 2 KiB of stack. */
#define LEAF_CHUNKS 64
#define LEAF_LEN ((size_t)LEAF_CHUNKS * QV_B3_CHUNK_LEN)

#define ALLOWED_FLAGS (QV_BLAKE3_KEYED_HASH | QV_BLAKE3_DERIVE_KEY_CONTEXT | QV_BLAKE3_DERIVE_KEY_MATERIAL)

/* What a chunk or parent node leaves for its final compression: the chaining value in and the last block. */
typedef struct node_output {
    uint32_t cv[8];
    uint8_t block[QV_B3_BLOCK_LEN];
    uint8_t block_len;
    uint64_t counter;
    uint8_t flags;
} node_output;

static size_t chunk_count(size_t len) {
    return len == 0 ? 1 : (len + QV_B3_CHUNK_LEN - 1) / QV_B3_CHUNK_LEN;
}

/* Compresses every block of one chunk (len <= CHUNK_LEN) but the last, and keeps the last for the caller. */
static void chunk_output(const qv_kernels *k, const uint32_t key[8], uint8_t flags, const uint8_t *in, size_t len,
                         uint64_t chunk_counter, node_output *out) {
    memcpy(out->cv, key, sizeof(out->cv));
    uint8_t start = QV_B3_CHUNK_START;
    while (len > QV_B3_BLOCK_LEN) {
        k->b3_compress_in_place(out->cv, in, QV_B3_BLOCK_LEN, chunk_counter, flags | start);
        start = 0;
        in += QV_B3_BLOCK_LEN;
        len -= QV_B3_BLOCK_LEN;
    }
    memset(out->block, 0, sizeof(out->block));
    if (len > 0) {
        memcpy(out->block, in, len);
    }
    out->block_len = (uint8_t)len;
    out->counter = chunk_counter;
    out->flags = flags | start | QV_B3_CHUNK_END;
}

static void output_cv(const qv_kernels *k, const node_output *o, uint8_t cv_out[32]) {
    uint32_t cv[8];
    memcpy(cv, o->cv, sizeof(cv));
    k->b3_compress_in_place(cv, o->block, o->block_len, o->counter, o->flags);
    for (size_t i = 0; i < 8; i++) {
        qv_store32_le(cv_out + 4 * i, cv[i]);
    }
}

/* Root output: output block i is the root node compressed with counter i (paper, section 2.6). */
static void output_root(const qv_kernels *k, const node_output *o, uint8_t *out, size_t out_len) {
    uint8_t block[64];
    for (uint64_t i = 0; out_len > 0; i++) {
        size_t n = out_len < sizeof(block) ? out_len : sizeof(block);
        if (n == sizeof(block)) {
            k->b3_compress_xof(o->cv, o->block, o->block_len, i, o->flags | QV_B3_ROOT, out);
        } else {
            k->b3_compress_xof(o->cv, o->block, o->block_len, i, o->flags | QV_B3_ROOT, block);
            memcpy(out, block, n);
        }
        out += n;
        out_len -= n;
    }
}

static void parent_output(const uint32_t key[8], uint8_t flags, const uint8_t block[64], node_output *out) {
    memcpy(out->cv, key, sizeof(out->cv));
    memcpy(out->block, block, QV_B3_BLOCK_LEN);
    out->block_len = QV_B3_BLOCK_LEN;
    out->counter = 0;
    out->flags = flags | QV_B3_PARENT;
}

/*
 * For a leaf of 2..LEAF_CHUNKS chunks: the children's chaining values of its top node, as one parent block.
 * Pairing adjacent chaining values level by level (an odd last one moves up unchanged) builds exactly BLAKE3's
 * left-complete tree, and ends with the top node's two children.
 */
static void leaf_top_block(const qv_kernels *k, const uint32_t key[8], uint8_t flags, const uint8_t *in, size_t len,
                           uint64_t chunk_counter, uint8_t block[64]) {
    uint8_t cvs[2][LEAF_CHUNKS * QV_B3_OUT_LEN];
    const uint8_t *ptrs[LEAF_CHUNKS] = {NULL}; /* initialised for -Wmaybe-uninitialized; cheap next to a leaf */
    const size_t whole = len / QV_B3_CHUNK_LEN;
    for (size_t i = 0; i < whole; i++) {
        ptrs[i] = in + i * QV_B3_CHUNK_LEN;
    }
    k->b3_hash_many(ptrs, whole, QV_B3_CHUNK_LEN / QV_B3_BLOCK_LEN, key, chunk_counter, true, flags,
                    QV_B3_CHUNK_START, QV_B3_CHUNK_END, cvs[0]);
    size_t count = whole;
    if (len % QV_B3_CHUNK_LEN != 0) {
        node_output partial;
        chunk_output(k, key, flags, in + whole * QV_B3_CHUNK_LEN, len % QV_B3_CHUNK_LEN, chunk_counter + whole,
                     &partial);
        output_cv(k, &partial, cvs[0] + whole * QV_B3_OUT_LEN);
        count++;
    }
    size_t level = 0;
    while (count > 2) {
        const size_t pairs = count / 2;
        for (size_t i = 0; i < pairs; i++) {
            ptrs[i] = cvs[level] + i * QV_B3_BLOCK_LEN;
        }
        k->b3_hash_many(ptrs, pairs, 1, key, 0, false, flags | QV_B3_PARENT, 0, 0, cvs[level ^ 1]);
        if (count % 2 != 0) {
            memcpy(cvs[level ^ 1] + pairs * QV_B3_OUT_LEN, cvs[level] + (count - 1) * QV_B3_OUT_LEN, QV_B3_OUT_LEN);
        }
        count = (count + 1) / 2;
        level ^= 1;
    }
    memcpy(block, cvs[level], QV_B3_BLOCK_LEN);
}

static void subtree_cv(const qv_kernels *k, const uint32_t key[8], uint8_t flags, const uint8_t *in, size_t len,
                       uint64_t chunk_counter, uint8_t cv_out[32]);

/* For 2 or more chunks: the top node's two children's chaining values, as one parent block. */
static void top_block(const qv_kernels *k, const uint32_t key[8], uint8_t flags, const uint8_t *in, size_t len,
                      uint64_t chunk_counter, uint8_t block[64]) {
    if (len <= LEAF_LEN) {
        leaf_top_block(k, key, flags, in, len, chunk_counter, block);
        return;
    }
    /* The left subtree holds the largest power of two of chunks that leaves at least one byte on the right. */
    const size_t chunks = chunk_count(len);
    const size_t left_chunks = (size_t)1 << (63 - __builtin_clzll((unsigned long long)(chunks - 1)));
    const size_t left_len = left_chunks * QV_B3_CHUNK_LEN;
    subtree_cv(k, key, flags, in, left_len, chunk_counter, block);
    subtree_cv(k, key, flags, in + left_len, len - left_len, chunk_counter + left_chunks, block + QV_B3_OUT_LEN);
}

static void subtree_cv(const qv_kernels *k, const uint32_t key[8], uint8_t flags, const uint8_t *in, size_t len,
                       uint64_t chunk_counter, uint8_t cv_out[32]) {
    node_output o;
    if (len <= QV_B3_CHUNK_LEN) {
        chunk_output(k, key, flags, in, len, chunk_counter, &o);
    } else {
        uint8_t block[64];
        top_block(k, key, flags, in, len, chunk_counter, block);
        parent_output(key, flags, block, &o);
    }
    output_cv(k, &o, cv_out);
}

int qv_blake3_hash(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_len) {
    const qv_kernels *k = qv_kernels_for(tier);
    if (k == NULL) {
        return QV_ERR_TIER;
    }
    if (key == NULL || (in == NULL && in_len > 0) || (out == NULL && out_len > 0) || (flags & ~ALLOWED_FLAGS) != 0) {
        return QV_ERR_ARGUMENT;
    }
    node_output o;
    if (in_len <= QV_B3_CHUNK_LEN) {
        chunk_output(k, key, (uint8_t)flags, in, in_len, 0, &o);
    } else {
        uint8_t block[64];
        top_block(k, key, (uint8_t)flags, in, in_len, 0, block);
        parent_output(key, (uint8_t)flags, block, &o);
    }
    output_root(k, &o, out, out_len);
    return QV_OK;
}

int qv_blake3_subtree_cv(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in, size_t in_len,
                         uint64_t chunk_counter, uint8_t cv_out[32]) {
    const qv_kernels *k = qv_kernels_for(tier);
    if (k == NULL) {
        return QV_ERR_TIER;
    }
    if (key == NULL || in == NULL || in_len == 0 || cv_out == NULL || (flags & ~ALLOWED_FLAGS) != 0) {
        return QV_ERR_ARGUMENT;
    }
    /* chunk_counter must be a multiple of the subtree's size rounded up to a power of two (BLAKE3 tree rules). */
    const size_t chunks = chunk_count(in_len);
    const uint64_t span = chunks == 1 ? 1 : (uint64_t)1 << (64 - __builtin_clzll((unsigned long long)(chunks - 1)));
    if ((chunk_counter & (span - 1)) != 0 || chunk_counter > UINT64_MAX - span) {
        return QV_ERR_ARGUMENT;
    }
    subtree_cv(k, key, (uint8_t)flags, in, in_len, chunk_counter, cv_out);
    return QV_OK;
}
