package dev.quiver.bench.jmh;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * The buffers and coefficients {@link IsalBench} and {@link GfNativeBench} share, built the same way for both so
 * the two measure the same work: the same seed and coefficient values; for single-source multiply-accumulate the
 * very same buffers on both sides, once as heap arrays (the form Java callers have; only 8-byte aligned, which costs
 * ISA-L's unaligned loop ~30% on this CPU while Quiver aligns its destination first) and once as 64-byte aligned
 * native segments; for the encode shapes heap arrays for Quiver (its {@code GfKernel.matrixMultiply(byte[][]...)}
 * API) and aligned native segments for ISA-L (whose {@code ec_encode_data} takes arrays of pointers, which cannot
 * point into the Java heap).
 */
public final class IsalBenchData implements AutoCloseable {
    /** The coefficient of the single-source benchmarks (any non-zero, non-one value costs the same). */
    static final int MUL_ADD_COEFFICIENT = 0x8E;

    private final Arena arena = Arena.ofShared();
    /** 64-byte aligned native source and destination. */
    final MemorySegment src;
    final MemorySegment dst;
    /** Heap source and destination, with the same content as {@link #src} and {@link #dst}. */
    final byte[] heapSrc;
    final byte[] heapDst;
    final int size;

    private IsalBenchData(int size) {
        this.size = size;
        SplittableRandom random = new SplittableRandom(1);
        heapSrc = new byte[size];
        heapDst = new byte[size];
        random.nextBytes(heapSrc);
        random.nextBytes(heapDst);
        src = nativeCopy(heapSrc);
        dst = nativeCopy(heapDst);
    }

    /** Source and destination of {@code size} bytes each, random, on the heap and in aligned native memory. */
    static IsalBenchData of(int size) {
        return new IsalBenchData(size);
    }

    /** {@code rows} x {@code k} non-zero coefficients, row-major, the same for both libraries. */
    static byte[] coefficients(int rows, int k) {
        SplittableRandom random = new SplittableRandom(2);
        byte[] a = new byte[rows * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) random.nextInt(1, 256);
        }
        return a;
    }

    /** {@code n} random heap arrays of {@code size} bytes. */
    static byte[][] heapBuffers(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] m = new byte[n][size];
        for (byte[] row : m) {
            random.nextBytes(row);
        }
        return m;
    }

    /** A native array of pointers to {@code n} fresh random 64-byte aligned segments of {@code size} bytes. */
    MemorySegment nativePointerArray(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, n);
        for (int i = 0; i < n; i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, randomSegment(random, size));
        }
        return pointers;
    }

    /** Copies {@code bytes} into a fresh native segment. */
    MemorySegment nativeCopy(byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length), 64);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** A fresh native segment of {@code bytes} bytes (zeroed). */
    MemorySegment nativeZeroed(long bytes) {
        return arena.allocate(bytes, 64);
    }

    private MemorySegment randomSegment(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return nativeCopy(b);
    }

    @Override
    public void close() {
        arena.close();
    }
}
