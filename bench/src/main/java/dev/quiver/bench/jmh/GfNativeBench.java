package dev.quiver.bench.jmh;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.simd.Simd;
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
 * Quiver's native GF(2^8) kernel of the best tier this CPU runs ({@link Simd#gf()}), through the public
 * {@link GfKernel} API, on exactly the shapes of {@link IsalBench}: same benchmark names, sizes, coefficients and
 * units, so {@code GfNativeBench.x / IsalBench.x} is the Quiver/ISA-L ratio. {@code mulAdd} runs on the very heap
 * arrays ISA-L gets, {@code mulAddNative} on the same 64-byte aligned native segments; the encodes go through {@code matrixMultiply(byte[][] ...)} on heap
 * arrays, the form the RLNC codec uses. The tier honours {@code -Dquiver.simd.isa} (for example {@code avx2} or
 * {@code portable}), passed with {@code -jvmArgsAppend}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GfNativeBench {

    /** Bytes per buffer: 64 KiB fits in L2 (warm), 1 MiB per buffer spills it. */
    @Param({"65536", "1048576"})
    public int size;

    private GfKernel gf;
    private IsalBenchData data;
    private byte[] coeffs16;
    private byte[][] sources16;
    private byte[][] outputs16;
    private byte[] coeffs32;
    private byte[][] sources32;
    private byte[][] outputs32;

    /** Resolves the native kernel (failing with the reason when it cannot load) and fills the buffers. */
    @Setup
    public void setUp() {
        Simd.ensureAvailability();
        gf = Simd.gf().orElseThrow();
        System.out.println("GfNativeBench kernel: " + gf.name());
        data = IsalBenchData.of(size);
        coeffs16 = IsalBenchData.coefficients(16, 16);
        sources16 = IsalBenchData.heapBuffers(16, size, 16);
        outputs16 = IsalBenchData.heapBuffers(16, size, 17);
        coeffs32 = IsalBenchData.coefficients(32, 32);
        sources32 = IsalBenchData.heapBuffers(32, size, 32);
        outputs32 = IsalBenchData.heapBuffers(32, size, 33);
    }

    /** Frees the native buffers. */
    @TearDown
    public void tearDown() {
        data.close();
    }

    /** {@code dst ^= c · src} over {@code size} bytes of heap arrays. */
    @Benchmark
    public byte[] mulAdd(ByteCounter counter) {
        gf.mulAdd(IsalBenchData.MUL_ADD_COEFFICIENT, data.heapSrc, 0, data.heapDst, 0, size);
        counter.bytes += size;
        return data.heapDst;
    }

    /** {@code dst ^= c · src} over {@code size} bytes of 64-byte aligned native memory. */
    @Benchmark
    public MemorySegment mulAddNative(ByteCounter counter) {
        gf.mulAdd(IsalBenchData.MUL_ADD_COEFFICIENT, data.src, 0, data.dst, 0, size);
        counter.bytes += size;
        return data.dst;
    }

    /** 16 parity outputs from 16 sources of {@code size} bytes (encode k = 16, m = 16). */
    @Benchmark
    public byte[][] encode16x16(ByteCounter counter) {
        gf.matrixMultiply(coeffs16, sources16, 0, 16, outputs16, 0, 16, size);
        counter.bytes += 16L * size;
        return outputs16;
    }

    /** 32 parity outputs from 32 sources of {@code size} bytes (encode k = 32, m = 32). */
    @Benchmark
    public byte[][] encode32x32(ByteCounter counter) {
        gf.matrixMultiply(coeffs32, sources32, 0, 32, outputs32, 0, 32, size);
        counter.bytes += 32L * size;
        return outputs32;
    }
}
