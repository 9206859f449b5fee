package dev.quiver.simd.ffm;

import dev.quiver.simd.load.NativeLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Bindings of {@code native/src/main/c/include/quiver.h}, in jextract's shape: one holder class per C function
 * with {@code static final} {@code DESC}, {@code ADDR} and {@code HANDLE}, resolved lazily on first use, and a
 * static method of the C name that calls {@code invokeExact}. No checks here: callers (the public facade in
 * {@code dev.quiver.simd}) check every bound first. Use only after {@link NativeLibrary#unavailabilityCause()}
 * came back empty.
 *
 * <p>Every downcall is {@link Linker.Option#critical(boolean) critical(true)}: the C functions are leaf calls that
 * never call back into Java, and heap {@code byte[]}/{@code int[]} segments reach C without a copy.
 */
public final class quiver_h {

    /** {@code #define QV_OK 0} */
    public static final int QV_OK = 0;
    /** {@code #define QV_ERR_TIER (-1)} */
    public static final int QV_ERR_TIER = -1;
    /** {@code #define QV_ERR_ARGUMENT (-2)} */
    public static final int QV_ERR_ARGUMENT = -2;
    /** {@code #define QV_ISA_DEFAULT (-1)} */
    public static final int QV_ISA_DEFAULT = -1;
    /** {@code #define QV_ISA_COUNT 5} */
    public static final int QV_ISA_COUNT = 5;

    /** {@code const char *}: the library's names are short static strings. */
    @SuppressWarnings("restricted") // a view of 16 bytes of a static string; NativeLibrary checked native access
    private static final ValueLayout C_NAME = ValueLayout.ADDRESS.withTargetLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE));
    /** {@code size_t}, {@code uint64_t} */
    private static final ValueLayout.OfLong C_SIZE = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private quiver_h() {
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

    /** {@code int qv_init(void)} */
    private static final class qv_init {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MemorySegment ADDR = find("qv_init");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_init(void)}: detects the CPU once; returns the best supported tier. */
    public static int qv_init() {
        try {
            return (int) qv_init.HANDLE.invokeExact();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code int qv_tier_supported(int tier)} */
    private static final class qv_tier_supported {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MemorySegment ADDR = find("qv_tier_supported");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_tier_supported(int tier)}: 1 when compiled in and run by this CPU. */
    public static int qv_tier_supported(int tier) {
        try {
            return (int) qv_tier_supported.HANDLE.invokeExact(tier);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code const char *qv_tier_name(int tier)} */
    private static final class qv_tier_name {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_NAME, C_INT);
        static final MemorySegment ADDR = find("qv_tier_name");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code const char *qv_tier_name(int tier)}: a 16-byte view of the name, or {@code NULL}. */
    public static MemorySegment qv_tier_name(int tier) {
        try {
            return (MemorySegment) qv_tier_name.HANDLE.invokeExact(tier);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code int qv_select_isa(int tier)} */
    private static final class qv_select_isa {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MemorySegment ADDR = find("qv_select_isa");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_select_isa(int tier)}: makes a supported tier the default. */
    public static int qv_select_isa(int tier) {
        try {
            return (int) qv_select_isa.HANDLE.invokeExact(tier);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code const char *qv_isa_name(void)} */
    private static final class qv_isa_name {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_NAME);
        static final MemorySegment ADDR = find("qv_isa_name");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code const char *qv_isa_name(void)}: a 16-byte view of the default tier's name. */
    public static MemorySegment qv_isa_name() {
        try {
            return (MemorySegment) qv_isa_name.HANDLE.invokeExact();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code int qv_blake3_hash(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in, size_t in_len,
     * uint8_t *out, size_t out_len)}
     */
    private static final class qv_blake3_hash {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_SIZE,
                C_POINTER, C_SIZE);
        static final MemorySegment ADDR = find("qv_blake3_hash");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_blake3_hash(...)}: one-shot BLAKE3 with extended output. */
    public static int qv_blake3_hash(int tier, MemorySegment key, int flags, MemorySegment in, long inLen,
                                     MemorySegment out, long outLen) {
        try {
            return (int) qv_blake3_hash.HANDLE.invokeExact(tier, key, flags, in, inLen, out, outLen);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code int qv_blake3_subtree_cv(int tier, const uint32_t key[8], uint32_t flags, const uint8_t *in,
     * size_t in_len, uint64_t chunk_counter, uint8_t cv_out[32])}
     */
    private static final class qv_blake3_subtree_cv {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_SIZE,
                C_SIZE, C_POINTER);
        static final MemorySegment ADDR = find("qv_blake3_subtree_cv");
        static final MethodHandle HANDLE = downcall(ADDR, DESC);
    }

    /** {@code int qv_blake3_subtree_cv(...)}: the chaining value of one subtree. */
    public static int qv_blake3_subtree_cv(int tier, MemorySegment key, int flags, MemorySegment in, long inLen,
                                           long chunkCounter, MemorySegment cvOut) {
        try {
            return (int) qv_blake3_subtree_cv.HANDLE.invokeExact(tier, key, flags, in, inLen, chunkCounter, cvOut);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
