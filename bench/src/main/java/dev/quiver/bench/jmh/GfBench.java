package dev.quiver.bench.jmh;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * GF(2^8) kernels: single-source multiply-accumulate and the k×k matrix multiply of an erasure-code encode
 * (ISA-L's {@code ec_encode_data} shape), per tier.
 *
 * <p><b>Units.</b> The primary score is operations (calls) per second. Each benchmark also reports an auxiliary
 * counter {@code bytes}: bytes per second of <em>multiply-accumulate</em> work, {@code size} for {@link #mulAdd} and
 * {@code k · k · size} for {@code encodeKxK} (every one of k sources multiplied into every one of k outputs), so the
 * two are directly comparable and match the "multiply-accumulate" figures for ISA-L. Source-data
 * throughput of an encode is that figure divided by k. GB/s = {@code bytes} score / 1e9.
 *
 * <p><b>Tiers.</b> {@code kernel} is a {@link GfKernel#name()}: {@code java-scalar}, {@code java-vector}, or a
 * native tier listed by {@link GfKernels#all()} when the native module loads (for example {@code -p
 * kernel=java-vector,native-avx2}). A tier that cannot run here fails its setup with the list of tiers that can.
 *
 * <p><b>Run.</b> The defaults take about three minutes:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GfBench}. A smoke run:
 * {@code ... GfBench.mulAdd -p kernel=java-vector -p size=65536 -f 1 -wi 1 -i 1 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GfBench {

    /** Tier by name. */
    @Param({"java-scalar", "java-vector"})
    public String kernel;

    /** Bytes per buffer: 64 KiB fits in L2 (warm), 1 MiB per buffer spills it. */
    @Param({"65536", "1048576"})
    public int size;

    private GfKernel gf;
    private byte[] src;
    private byte[] dst;
    private byte[] coeffs16;
    private byte[][] srcs16;
    private byte[][] dsts16;
    private byte[] coeffs32;
    private byte[][] srcs32;
    private byte[][] dsts32;


    /** Resolves the tier and fills the buffers with random bytes. */
    @Setup
    public void setUp() {
        gf = GfKernels.byName(kernel).orElseThrow(() -> new IllegalArgumentException("GF tier '" + kernel
                + "' does not run here; available: "
                + GfKernels.all().stream().map(GfKernel::name).collect(Collectors.joining(", "))));
        SplittableRandom random = new SplittableRandom(1);
        src = randomBytes(random, size);
        dst = randomBytes(random, size);
        coeffs16 = randomBytes(random, 16 * 16);
        srcs16 = randomMatrix(random, 16, size);
        dsts16 = new byte[16][size];
        coeffs32 = randomBytes(random, 32 * 32);
        srcs32 = randomMatrix(random, 32, size);
        dsts32 = new byte[32][size];
    }

    /** {@code dst ^= c · src} over {@code size} bytes. */
    @Benchmark
    public byte[] mulAdd(ByteCounter counter) {
        gf.mulAdd(0x8E, src, 0, dst, 0, size);
        counter.bytes += size;
        return dst;
    }

    /**
     * {@code dst ^= src} in plain Java (C2 vectorises it): no field arithmetic, the memory-bound ceiling of
     * {@link #mulAdd} on this machine, measured in the same run as a reference. Ignores {@code kernel}.
     */
    @Benchmark
    public byte[] xorBaseline(ByteCounter counter) {
        byte[] s = src;
        byte[] d = dst;
        for (int i = 0; i < size; i++) {
            d[i] ^= s[i];
        }
        counter.bytes += size;
        return d;
    }

    /** 16 parity outputs from 16 sources of {@code size} bytes (encode k = 16, m = 16). */
    @Benchmark
    public byte[][] encode16x16(ByteCounter counter) {
        gf.matrixMultiply(coeffs16, srcs16, 0, 16, dsts16, 0, 16, size);
        counter.bytes += 16L * 16 * size;
        return dsts16;
    }

    /** 32 parity outputs from 32 sources of {@code size} bytes (encode k = 32, m = 32). */
    @Benchmark
    public byte[][] encode32x32(ByteCounter counter) {
        gf.matrixMultiply(coeffs32, srcs32, 0, 32, dsts32, 0, 32, size);
        counter.bytes += 32L * 32 * size;
        return dsts32;
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[][] randomMatrix(SplittableRandom random, int rows, int n) {
        byte[][] m = new byte[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = randomBytes(random, n);
        }
        return m;
    }
}
