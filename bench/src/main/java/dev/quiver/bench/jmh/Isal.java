package dev.quiver.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Bench-only FFM bindings of Intel ISA-L's erasure-code functions ({@code <isa-l/erasure_code.h>}, Debian
 * {@code libisal2}, installed by {@code bench/bin/install-bench-deps gf}), in jextract's shape: one holder class
 * per function with {@code DESC}, {@code ADDR} and {@code HANDLE}. The reference Quiver's GF(2^8) kernels are
 * measured against; nothing outside {@code bench} uses it.
 *
 * <p>ISA-L works in GF(2^8) modulo 0x11D, Quiver in 0x11B (GFNI's field): the same work per byte, different bytes,
 * so benchmarks compare speed only. Downcalls are {@code critical(true)}, as Quiver's own, so neither side pays a
 * thread-state transition the other does not.
 */
final class Isal {
    /** The shared library Debian's {@code libisal2} installs. */
    static final String LIBRARY = "libisal.so.2";

    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private Isal() {
    }

    /** Loads ISA-L; throws {@link IllegalStateException} saying how to install it when it is missing. */
    static void ensureLoaded() {
        Lookup.get();
    }

    private static final class Lookup {
        private static final SymbolLookup LOOKUP = load();

        @SuppressWarnings("restricted") // the bench JVM runs with --enable-native-access=ALL-UNNAMED
        private static SymbolLookup load() {
            try {
                return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(LIBRARY + " not found; install it with "
                        + "`bench/bin/install-bench-deps gf` (apt-get install libisal2) to compare against ISA-L", e);
            }
        }

        static SymbolLookup get() {
            return LOOKUP;
        }
    }

    @SuppressWarnings("restricted") // the bench JVM runs with --enable-native-access=ALL-UNNAMED
    private static MethodHandle downcall(String name, FunctionDescriptor desc) {
        return Linker.nativeLinker().downcallHandle(Lookup.get().findOrThrow(name), desc,
                Linker.Option.critical(true));
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("unexpected exception from a native call", t);
    }

    /** {@code void ec_init_tables(int k, int rows, unsigned char *a, unsigned char *gftbls)} */
    private static final class ec_init_tables {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = downcall("ec_init_tables", DESC);
    }

    /** Expands the rows x k coefficients {@code a} into 32-byte tables each ({@code gftbls}: 32·k·rows bytes). */
    static void ec_init_tables(int k, int rows, MemorySegment a, MemorySegment gftbls) {
        try {
            ec_init_tables.HANDLE.invokeExact(k, rows, a, gftbls);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code void ec_encode_data(int len, int k, int rows, unsigned char *gftbls, unsigned char **data,
     * unsigned char **coding)}
     */
    private static final class ec_encode_data {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_POINTER, C_POINTER,
                C_POINTER);
        static final MethodHandle HANDLE = downcall("ec_encode_data", DESC);
    }

    /** {@code coding[r] = Σ_j a[r][j] · data[j]} over {@code len} bytes; data and coding are pointer arrays. */
    static void ec_encode_data(int len, int k, int rows, MemorySegment gftbls, MemorySegment data,
                               MemorySegment coding) {
        try {
            ec_encode_data.HANDLE.invokeExact(len, k, rows, gftbls, data, coding);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code void gf_vect_mad(int len, int vec, int vec_i, unsigned char *gftbls, unsigned char *src,
     * unsigned char *dest)}
     */
    private static final class gf_vect_mad {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_POINTER, C_POINTER,
                C_POINTER);
        static final MethodHandle HANDLE = downcall("gf_vect_mad", DESC);
    }

    /** {@code dest ^= c · src} over {@code len} bytes, {@code c}'s 32-byte table from {@link #ec_init_tables}. */
    static void gf_vect_mad(int len, int vec, int vecIndex, MemorySegment gftbls, MemorySegment src,
                            MemorySegment dest) {
        try {
            gf_vect_mad.HANDLE.invokeExact(len, vec, vecIndex, gftbls, src, dest);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
