package dev.quiver.bench.jmh;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
import dev.quiver.codec.rlnc.CodedSymbol;
import dev.quiver.codec.rlnc.GenerationInfo;
import dev.quiver.codec.rlnc.MalformedSymbolException;
import dev.quiver.codec.rlnc.RlncDecoder;
import dev.quiver.codec.rlnc.RlncEncoder;
import dev.quiver.codec.rlnc.RlncRecoder;
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
 * RLNC codec throughput: encode one seeded coded symbol, decode a generation from k coded (non-systematic)
 * symbols, recode one symbol from k held coded symbols.
 *
 * <p><b>Units.</b> The primary score is operations per second. The auxiliary counter {@code bytes} is bytes of
 * <em>generation source data</em> per second: {@code k · s} per encoded or recoded symbol (each is a combination of
 * all k symbols of s bytes) and per decoded generation. GB/s = {@code bytes} score / 1e9.
 *
 * <p><b>Parameters.</b> The defaults (k ∈ {16, 32}, s = 64 KiB, the best Java tier) run in about a minute. The full
 * grid of the issue, k ∈ {8, 16, 32, 64, 128} × s ∈ {1 KiB, 64 KiB, 1 MiB}, is
 * {@code -p k=8,16,32,64,128 -p symbolSize=1024,65536,1048576} (k = 128 × 1 MiB needs {@code -jvmArgsAppend
 * -Xmx2g}). {@code -p kernel=java-scalar} (or a native tier name) picks another tier; {@code best} is
 * {@link GfKernels#best()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class RlncBench {

    /** Source symbols per generation. */
    @Param({"16", "32"})
    public int k;

    /** Bytes per symbol. */
    @Param({"65536"})
    public int symbolSize;

    /** Tier by name, or {@code best}. */
    @Param({"best"})
    public String kernel;

    private GfKernel gf;
    private GenerationInfo generation;
    private RlncEncoder encoder;
    private CodedSymbol[] coded;
    private RlncRecoder recoder;
    private byte[] payload;
    private long seed;


    /** Builds a generation of random data, k coded symbols of it and a recoder holding them. */
    @Setup
    public void setUp() throws MalformedSymbolException {
        gf = "best".equals(kernel) ? GfKernels.best() : GfKernels.byName(kernel).orElseThrow(() ->
                new IllegalArgumentException("GF tier '" + kernel + "' does not run here; available: "
                        + GfKernels.all().stream().map(GfKernel::name).collect(Collectors.joining(", "))));
        SplittableRandom random = new SplittableRandom(2);
        byte[] data = new byte[k * symbolSize];
        random.nextBytes(data);
        generation = new GenerationInfo(1, k, symbolSize, data.length);
        encoder = new RlncEncoder(generation, data, 0, gf, random.split());
        coded = new CodedSymbol[k + 8];
        for (int i = 0; i < coded.length; i++) {
            coded[i] = encoder.coded(random.nextLong());
        }
        recoder = new RlncRecoder(generation, gf, random.split());
        for (CodedSymbol symbol : coded) {
            recoder.add(symbol);
        }
        payload = new byte[symbolSize];
    }

    /** One seeded coded symbol: a dot product over the k sources, into a reused buffer. */
    @Benchmark
    public byte[] encode(ByteCounter counter) {
        encoder.codedPayload(seed++, payload, 0);
        counter.bytes += (long) k * symbolSize;
        return payload;
    }

    /** A whole generation from coded symbols only (the worst case: no systematic shortcut). */
    @Benchmark
    public byte[] decode(ByteCounter counter) throws MalformedSymbolException {
        RlncDecoder decoder = new RlncDecoder(generation, gf);
        for (int i = 0; !decoder.isComplete(); i++) {
            decoder.receive(coded[i]);
        }
        counter.bytes += (long) k * symbolSize;
        return decoder.data();
    }

    /** One recoded symbol from the k held symbols, with its explicit coefficient vector. */
    @Benchmark
    public CodedSymbol recode(ByteCounter counter) {
        counter.bytes += (long) k * symbolSize;
        return recoder.recode();
    }
}
