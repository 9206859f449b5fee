package dev.quiver.simd.ffm;

import dev.quiver.simd.load.NativeLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Bindings of the GF(2^8) part of {@code native/src/main/c/include/quiver.h} ({@code qv_gf_*}), in jextract's
 * shape as {@link quiver_h}: one holder class per C function with {@code static final} {@code DESC}, {@code ADDR}
 * and {@code HANDLE}, resolved lazily, and a static method of the C name that calls {@code invokeExact}. No checks
 * here: {@code dev.quiver.simd.NativeGfKernel} checks every bound first. Use only after
 * {@link NativeLibrary#unavailabilityCause()} came back empty.
 *
 * <p>Every downcall is {@link Linker.Option#critical(boolean) critical(true)}: the kernels are leaf calls, and heap
 * {@code byte[]} segments reach C without a copy. A critical downcall admits heap memory only as a direct argument,
 * which is why {@code qv_gf_matmul_args} takes each destination and source as an argument of its own.
 */
public final class quiver_gf_h {

    /** {@code #define QV_GF_MAX_ROWS 16}: destinations per {@code qv_gf_matmul_args} call. */
    public static final int QV_GF_MAX_ROWS = 16;
    /** {@code #define QV_GF_MAX_SOURCES 16}: sources per {@code qv_gf_matmul_args} call. */
    public static final int QV_GF_MAX_SOURCES = 16;

    private static final ValueLayout.OfLong C_SIZE = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private quiver_gf_h() {
    }

    @SuppressWarnings("restricted") // NativeLibrary checked native access before anything gets here
    private static MethodHandle downcall(MemorySegment addr, FunctionDescriptor desc) {
        return Linker.nativeLinker().downcallHandle(addr, desc, Linker.Option.critical(true));
    }

    private static MemorySegment find(String name) {
        return NativeLibrary.lookup().findOrThrow(name);
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("unexpected exception from a native call", t);
    }

    /** {@code int qv_gf_mul(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len)} */
    private static final class qv_gf_mul {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_SIZE);
        static final MemorySegment ADDR = find("qv_gf_mul");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_gf_mul(...)}: {@code dst[i] = c·src[i]}. */
    public static int qv_gf_mul(int tier, int c, MemorySegment src, MemorySegment dst, long len) {
        try {
            return (int) qv_gf_mul.HANDLE.invokeExact(tier, c, src, dst, len);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code int qv_gf_mul_add(int tier, uint32_t c, const uint8_t *src, uint8_t *dst, size_t len)} */
    private static final class qv_gf_mul_add {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_SIZE);
        static final MemorySegment ADDR = find("qv_gf_mul_add");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_gf_mul_add(...)}: {@code dst[i] ^= c·src[i]}. */
    public static int qv_gf_mul_add(int tier, int c, MemorySegment src, MemorySegment dst, long len) {
        try {
            return (int) qv_gf_mul_add.HANDLE.invokeExact(tier, c, src, dst, len);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code int qv_gf_matmul_args(int tier, const uint8_t *coeffs, size_t coeff_stride, size_t rows, size_t count,
     * size_t len, int accumulate, uint8_t *d0, ..., uint8_t *d15, const uint8_t *s0, ..., const uint8_t *s15)}
     */
    private static final class qv_gf_matmul_args {
        static final FunctionDescriptor DESC = descriptor();
        static final MemorySegment ADDR = find("qv_gf_matmul_args");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);

        private static FunctionDescriptor descriptor() {
            MemoryLayout[] args = new MemoryLayout[7 + QV_GF_MAX_ROWS + QV_GF_MAX_SOURCES];
            args[0] = C_INT;
            args[1] = C_POINTER;
            args[2] = C_SIZE;
            args[3] = C_SIZE;
            args[4] = C_SIZE;
            args[5] = C_SIZE;
            args[6] = C_INT;
            for (int i = 7; i < args.length; i++) {
                args[i] = C_POINTER;
            }
            return FunctionDescriptor.of(C_INT, args);
        }
    }

    /**
     * {@code int qv_gf_matmul_args(...)}: {@code d_r (accumulate ? ^= : =) Σ_j coeffs[r * coeffStride + j] · s_j}.
     *
     * @param p the 16 destination pointers, then the 16 source pointers ({@link MemorySegment#NULL} where unused)
     */
    public static int qv_gf_matmul_args(int tier, MemorySegment coeffs, long coeffStride, long rows, long count,
                                        long len, int accumulate, MemorySegment[] p) {
        try {
            return (int) qv_gf_matmul_args.HANDLE.invokeExact(tier, coeffs, coeffStride, rows, count, len, accumulate,
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
                    p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15],
                    p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23],
                    p[24], p[25], p[26], p[27], p[28], p[29], p[30], p[31]);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
