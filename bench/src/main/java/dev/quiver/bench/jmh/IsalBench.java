package dev.quiver.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * Intel ISA-L's GF(2^8) kernels through FFM ({@link Isal}), the reference for {@link GfNativeBench}: the same
 * benchmark names, shapes, sizes, coefficients and units, so the suite runner divides one score by the other.
 * ISA-L dispatches to its best kernels for this CPU itself (AVX2 on Zen 3; it has no GFNI kernels in 2.30).
 *
 * <p><b>Work per operation.</b> {@code mulAdd}: {@code dst ^= c · src} over {@code size} bytes
 * ({@code gf_vect_mad}) on heap arrays, {@code mulAddNative} the same on 64-byte aligned native memory;
 * {@code encodeKxK}: k outputs from k sources of {@code size} bytes ({@code ec_encode_data},
 * erasure-code encode with k = m). Tables ({@code ec_init_tables}) are built once in setup, as ISA-L's own perf
 * tools do; Quiver builds its tables inside every call, so this favours ISA-L slightly. The primary score is
 * operations per second; the auxiliary {@code bytes} counter is source bytes per second
 * ({@link ByteCounter}).
 *
 * <p>Smoke run: {@code java -jar bench/target/benchmarks.jar 'IsalBench|GfNativeBench' -p size=65536 -f 1 -wi 1
 * -i 2 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IsalBench {

    /** Bytes per buffer: 64 KiB fits in L2 (warm), 1 MiB per buffer spills it. */
    @Param({"65536", "1048576"})
    public int size;

    private IsalBenchData data;
    private MemorySegment madTable;
    private MemorySegment tables16;
    private MemorySegment sources16;
    private MemorySegment outputs16;
    private MemorySegment tables32;
    private MemorySegment sources32;
    private MemorySegment outputs32;

    /** Loads ISA-L, fills the buffers and expands the coefficient tables. */
    @Setup
    public void setUp() {
        Isal.ensureLoaded();
        data = IsalBenchData.of(size);
        madTable = data.nativeZeroed(32);
        Isal.ec_init_tables(1, 1, data.nativeCopy(new byte[] {(byte) IsalBenchData.MUL_ADD_COEFFICIENT}), madTable);
        tables16 = tables(16);
        sources16 = data.nativePointerArray(16, size, 16);
        outputs16 = data.nativePointerArray(16, size, 17);
        tables32 = tables(32);
        sources32 = data.nativePointerArray(32, size, 32);
        outputs32 = data.nativePointerArray(32, size, 33);
    }

    private MemorySegment tables(int k) {
        MemorySegment t = data.nativeZeroed(32L * k * k);
        Isal.ec_init_tables(k, k, data.nativeCopy(IsalBenchData.coefficients(k, k)), t);
        return t;
    }

    /** Frees the native buffers. */
    @TearDown
    public void tearDown() {
        data.close();
    }

    /** {@code dst ^= c · src} over {@code size} bytes of heap arrays (passed to C without a copy). */
    @Benchmark
    public byte[] mulAdd(ByteCounter counter) {
        Isal.gf_vect_mad(size, 1, 0, madTable, MemorySegment.ofArray(data.heapSrc),
                MemorySegment.ofArray(data.heapDst));
        counter.bytes += size;
        return data.heapDst;
    }

    /** {@code dst ^= c · src} over {@code size} bytes of 64-byte aligned native memory. */
    @Benchmark
    public MemorySegment mulAddNative(ByteCounter counter) {
        Isal.gf_vect_mad(size, 1, 0, madTable, data.src, data.dst);
        counter.bytes += size;
        return data.dst;
    }

    /** 16 parity outputs from 16 sources of {@code size} bytes (encode k = 16, m = 16). */
    @Benchmark
    public MemorySegment encode16x16(ByteCounter counter) {
        Isal.ec_encode_data(size, 16, 16, tables16, sources16, outputs16);
        counter.bytes += 16L * size;
        return outputs16;
    }

    /** 32 parity outputs from 32 sources of {@code size} bytes (encode k = 32, m = 32). */
    @Benchmark
    public MemorySegment encode32x32(ByteCounter counter) {
        Isal.ec_encode_data(size, 32, 32, tables32, sources32, outputs32);
        counter.bytes += 32L * size;
        return outputs32;
    }
}
