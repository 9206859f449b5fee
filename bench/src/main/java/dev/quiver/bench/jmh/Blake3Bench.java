package dev.quiver.bench.jmh;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.JavaBlake3Kernel;
import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One-shot BLAKE3 of a random buffer: Quiver's kernels (pure Java and each native tier) against BouncyCastle's
 * {@code Blake3Digest} and Apache Commons Codec's {@code Blake3}. Scores are hashes per second; {@link Blake3Suite}
 * turns them into GB/s and ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Blake3Bench {

    /** {@code java}, {@code bouncycastle}, {@code commons}, or a native tier's kernel name ({@code native-avx2}). */
    @Param({"java"})
    public String impl;

    @Param({"65536"})
    public int size;

    private byte[] input;
    private final byte[] out = new byte[32];
    private final int[] iv = Blake3Flags.iv();
    private Blake3Kernel kernel;
    private Blake3Digest bouncyCastle;

    @Setup
    public void setUp() {
        input = new byte[size];
        new SplittableRandom(size).nextBytes(input);
        switch (impl) {
            case "java" -> kernel = JavaBlake3Kernel.INSTANCE;
            case "bouncycastle" -> bouncyCastle = new Blake3Digest(256);
            case "commons" -> { }
            default -> kernel = nativeTiers().stream().filter(k -> k.name().equals(impl)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no BLAKE3 kernel named " + impl + " here"));
        }
    }

    @Benchmark
    public byte[] hash() {
        if (kernel != null) {
            kernel.hash(iv, 0, input, 0, input.length, out, 0, out.length);
        } else if (bouncyCastle != null) {
            bouncyCastle.update(input, 0, input.length);
            bouncyCastle.doFinal(out, 0);
        } else {
            org.apache.commons.codec.digest.Blake3.initHash().update(input).doFinalize(out);
        }
        return out;
    }

    /** The native tiers this CPU runs, widest first; empty when the native library is unavailable. */
    static List<Blake3Kernel> nativeTiers() {
        return KernelProviders.nativeProvider().map(KernelProvider::blake3Tiers).orElse(List.of());
    }
}
