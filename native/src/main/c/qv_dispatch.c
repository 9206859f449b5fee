/*
 * CPU feature detection and the kernel tables. Each tier has one const table, built at compile time; qv_init
 * detects the CPU once (CPUID and XGETBV) and picks the default. Tiers can be compiled out with QV_NO_SSE41,
 * QV_NO_AVX2, QV_NO_AVX512 and QV_NO_GFNI (each also drops the tiers above it, which build on it).
 */
#include <cpuid.h>

#include "quiver.h"
#include "qv_internal.h"

#if defined(QV_NO_SSE41) && !defined(QV_NO_AVX2)
#define QV_NO_AVX2
#endif
#if defined(QV_NO_AVX2) && !defined(QV_NO_AVX512)
#define QV_NO_AVX512
#endif
#if defined(QV_NO_AVX512) && !defined(QV_NO_GFNI)
#define QV_NO_GFNI
#endif

static const qv_kernels portable_kernels = {
    .tier = QV_ISA_PORTABLE,
    .name = "portable",
    .b3_compress_in_place = qv_b3_compress_in_place_portable,
    .b3_compress_xof = qv_b3_compress_xof_portable,
    .b3_hash_many = qv_b3_hash_many_portable,
    .gf = {qv_gf_mul_add_portable, qv_gf_mul_portable, qv_gf_matmul_portable},
};

/* Single blocks (inputs under a chunk, partial last chunks, root output) use the SSE4.1 row compression in every
 * tier above portable; the wide tiers differ in hash_many, which carries whole chunks and parents. */
#ifndef QV_NO_SSE41
static const qv_kernels sse41_kernels = {
    .tier = QV_ISA_SSE41,
    .name = "sse41",
    .b3_compress_in_place = qv_b3_compress_in_place_sse41,
    .b3_compress_xof = qv_b3_compress_xof_sse41,
    .b3_hash_many = qv_b3_hash_many_sse41,
    .gf = {qv_gf_mul_add_portable, qv_gf_mul_portable, qv_gf_matmul_portable},
};
#endif

#ifndef QV_NO_AVX2
static const qv_kernels avx2_kernels = {
    .tier = QV_ISA_AVX2,
    .name = "avx2",
    .b3_compress_in_place = qv_b3_compress_in_place_sse41,
    .b3_compress_xof = qv_b3_compress_xof_sse41,
    .b3_hash_many = qv_b3_hash_many_avx2,
    .gf = {qv_gf_mul_add_avx2, qv_gf_mul_avx2, qv_gf_matmul_avx2},
};
#endif

#ifndef QV_NO_AVX512
static const qv_kernels avx512_kernels = {
    .tier = QV_ISA_AVX512,
    .name = "avx512",
    .b3_compress_in_place = qv_b3_compress_in_place_sse41,
    .b3_compress_xof = qv_b3_compress_xof_sse41,
    .b3_hash_many = qv_b3_hash_many_avx512,
    .gf = {qv_gf_mul_add_avx512, qv_gf_mul_avx512, qv_gf_matmul_avx512},
};
#endif

#ifndef QV_NO_GFNI
/* GFNI adds GF(2^8) kernels only (GF2P8MULB); BLAKE3 runs the AVX-512 kernels. */
static const qv_kernels gfni_kernels = {
    .tier = QV_ISA_GFNI,
    .name = "gfni",
    .b3_compress_in_place = qv_b3_compress_in_place_sse41,
    .b3_compress_xof = qv_b3_compress_xof_sse41,
    .b3_hash_many = qv_b3_hash_many_avx512,
    .gf = {qv_gf_mul_add_gfni, qv_gf_mul_gfni, qv_gf_matmul_gfni},
};
#endif

/* Indexed by tier; NULL where compiled out. */
static const qv_kernels *const all_kernels[QV_ISA_COUNT] = {
    &portable_kernels,
#ifndef QV_NO_SSE41
    &sse41_kernels,
#else
    NULL,
#endif
#ifndef QV_NO_AVX2
    &avx2_kernels,
#else
    NULL,
#endif
#ifndef QV_NO_AVX512
    &avx512_kernels,
#else
    NULL,
#endif
#ifndef QV_NO_GFNI
    &gfni_kernels,
#else
    NULL,
#endif
};

/* -1 until qv_init has run; then the best tier. Written once with the same value by any racing thread. */
static int best_tier = -1;
static int default_tier = -1;

static uint64_t xgetbv0(void) {
    uint32_t eax;
    uint32_t edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

/* The best tier the CPU and the operating system support (Intel SDM vol. 1, 13.2 and 15.2 on XCR0). */
static int detect_best_tier(void) {
    unsigned int eax;
    unsigned int ebx;
    unsigned int ecx;
    unsigned int edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return QV_ISA_PORTABLE;
    }
    const int sse41 = (ecx & bit_SSE4_1) != 0;
    const int osxsave = (ecx & bit_OSXSAVE) != 0;
    int avx2 = 0;
    int avx512 = 0;
    int gfni = 0;
    if (osxsave && __get_cpuid_max(0, NULL) >= 7) {
        const uint64_t xcr0 = xgetbv0();
        const int ymm_state = (xcr0 & 0x6) == 0x6;     /* XMM and YMM state enabled by the OS */
        const int zmm_state = (xcr0 & 0xE6) == 0xE6;   /* plus opmask, ZMM_Hi256 and Hi16_ZMM */
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        avx2 = ymm_state && (ebx & bit_AVX2) != 0;
        avx512 = zmm_state && (ebx & bit_AVX512F) && (ebx & bit_AVX512VL) && (ebx & bit_AVX512BW);
        gfni = (ecx & bit_GFNI) != 0;
    }
    int tier = QV_ISA_PORTABLE;
    if (sse41 && all_kernels[QV_ISA_SSE41] != NULL) {
        tier = QV_ISA_SSE41;
        if (avx2 && all_kernels[QV_ISA_AVX2] != NULL) {
            tier = QV_ISA_AVX2;
            if (avx512 && all_kernels[QV_ISA_AVX512] != NULL) {
                tier = QV_ISA_AVX512;
                if (gfni && all_kernels[QV_ISA_GFNI] != NULL) {
                    tier = QV_ISA_GFNI;
                }
            }
        }
    }
    return tier;
}

int qv_init(void) {
    int best = __atomic_load_n(&best_tier, __ATOMIC_ACQUIRE);
    if (best < 0) {
        best = detect_best_tier();
        int unset = -1;
        __atomic_compare_exchange_n(&default_tier, &unset, best, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
        __atomic_store_n(&best_tier, best, __ATOMIC_RELEASE);
    }
    return best;
}

int qv_best_isa(void) {
    return qv_init();
}

int qv_tier_supported(int tier) {
    return tier >= 0 && tier < QV_ISA_COUNT && all_kernels[tier] != NULL && tier <= qv_init();
}

const char *qv_tier_name(int tier) {
    static const char *const names[QV_ISA_COUNT] = {"portable", "sse41", "avx2", "avx512", "gfni"};
    return tier >= 0 && tier < QV_ISA_COUNT ? names[tier] : NULL;
}

int qv_select_isa(int tier) {
    if (!qv_tier_supported(tier)) {
        return QV_ERR_TIER;
    }
    __atomic_store_n(&default_tier, tier, __ATOMIC_RELEASE);
    return QV_OK;
}

int qv_isa(void) {
    qv_init();
    return __atomic_load_n(&default_tier, __ATOMIC_ACQUIRE);
}

const char *qv_isa_name(void) {
    return qv_tier_name(qv_isa());
}

const qv_kernels *qv_kernels_for(int tier) {
    if (tier == QV_ISA_DEFAULT) {
        tier = qv_isa();
    }
    return qv_tier_supported(tier) ? all_kernels[tier] : NULL;
}
