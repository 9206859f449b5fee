package dev.quiver.bench.jmh;

import dev.quiver.bench.BenchSuite;
import org.openjdk.jmh.results.RunResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * {@code bench/run gf}: Quiver's GF(2^8) kernels and RLNC codec side by side with ISA-L in one run. Mul-add and the
 * k=16/m=16 and k=32/m=32 encode shapes at 64 KiB and 1 MiB for the native best tier and ISA-L, the Java tiers'
 * mul-add, and RLNC encode/decode; every figure in GB/s of source bytes (the benchmarks' {@code bytes} counter).
 */
public final class GfSuite implements BenchSuite {

    @Override
    public SequencedMap<String, Double> run(String[] args) throws Exception {
        boolean quick = JmhRuns.quick(args);
        Map<String, Double> gbps = new LinkedHashMap<>();   // "Class.method/param=value,..." -> GB/s
        collect(gbps, JmhRuns.options("(IsalBench|GfNativeBench)\\.", quick));
        collect(gbps, JmhRuns.options("GfBench\\.mulAdd$", quick)
                .param("kernel", "java-scalar", "java-vector").param("size", "65536"));
        collect(gbps, JmhRuns.options("RlncBench\\.(encode|decode)$", quick)
                .param("k", "16", "32").param("symbolSize", "65536"));

        System.out.println();
        System.out.printf("%-44s %10s%n", "GF(2^8) / RLNC benchmark", "GB/s");
        gbps.forEach((key, value) -> System.out.printf("%-44s %10.2f%n", key, value));

        SequencedMap<String, Double> results = new LinkedHashMap<>();
        // Single-source mul-add compared on the same 64-byte aligned native buffers for both libraries.
        results.put("gf.muladd_64KiB_over_isal",
                get(gbps, "GfNativeBench.mulAddNative/size=65536") / get(gbps, "IsalBench.mulAddNative/size=65536"));
        results.put("gf.encode16x16_64KiB_over_isal",
                get(gbps, "GfNativeBench.encode16x16/size=65536") / get(gbps, "IsalBench.encode16x16/size=65536"));
        results.put("gf.encode16x16_1MiB_over_isal",
                get(gbps, "GfNativeBench.encode16x16/size=1048576") / get(gbps, "IsalBench.encode16x16/size=1048576"));
        results.put("rlnc.encode_k16_64KiB_GBps", get(gbps, "RlncBench.encode/k=16,kernel=best,symbolSize=65536"));
        results.put("rlnc.decode_k32_64KiB_GBps", get(gbps, "RlncBench.decode/k=32,kernel=best,symbolSize=65536"));
        results.put("gf.vector_muladd_64KiB_GBps", get(gbps, "GfBench.mulAdd/kernel=java-vector,size=65536"));
        results.put("gf.scalar_muladd_64KiB_GBps", get(gbps, "GfBench.mulAdd/kernel=java-scalar,size=65536"));
        return results;
    }

    private static double get(Map<String, Double> gbps, String key) {
        Double value = gbps.get(key);
        if (value == null) {
            throw new IllegalStateException("no result for " + key + "; have " + gbps.keySet());
        }
        return value;
    }

    private static void collect(Map<String, Double> gbps, org.openjdk.jmh.runner.options.ChainedOptionsBuilder options)
            throws Exception {
        for (RunResult r : JmhRuns.run(options)) {
            StringBuilder key = new StringBuilder(JmhRuns.benchmarkClass(r) + "." + JmhRuns.method(r));
            String separator = "/";
            for (String param : r.getParams().getParamsKeys()) {
                key.append(separator).append(param).append('=').append(r.getParams().getParam(param));
                separator = ",";
            }
            gbps.put(key.toString(), JmhRuns.bytesGBps(r));
        }
    }
}
