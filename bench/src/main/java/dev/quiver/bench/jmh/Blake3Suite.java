package dev.quiver.bench.jmh;

import dev.quiver.bench.BenchSuite;
import dev.quiver.codec.blake3.Blake3Kernel;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * {@code bench/run blake3}: every BLAKE3 implementation on 1 KiB, 64 KiB, 1 MiB and 64 MiB, on one thread and on
 * all threads (independent hashes per thread), in one run; prints GB/s and the ratios the foundation issue names.
 */
public final class Blake3Suite implements BenchSuite {
    private static final int KIB = 1024;
    private static final int[] SIZES = {KIB, 64 * KIB, 1024 * KIB, 64 * 1024 * KIB};

    @Override
    public SequencedMap<String, Double> run(String[] args) throws Exception {
        boolean quick = JmhRuns.quick(args);
        List<String> impls = new ArrayList<>();
        Blake3Bench.nativeTiers().stream().map(Blake3Kernel::name).forEach(impls::add);
        impls.addAll(List.of("java", "bouncycastle", "commons"));
        String[] sizes = java.util.Arrays.stream(SIZES).mapToObj(Integer::toString).toArray(String[]::new);
        int cores = Runtime.getRuntime().availableProcessors();

        Map<String, Double> gbps = new LinkedHashMap<>();   // "impl/size/threads" -> GB/s
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            var options = JmhRuns.options(Blake3Bench.class, quick)
                    .param("impl", impls.toArray(String[]::new))
                    .param("size", sizes)
                    .threads(threads);
            for (RunResult r : JmhRuns.run(options)) {
                String impl = r.getParams().getParam("impl");
                int size = Integer.parseInt(r.getParams().getParam("size"));
                gbps.put(impl + "/" + size + "/" + threads, r.getPrimaryResult().getScore() * size / 1e9);
            }
        }
        printTable(impls, cores, gbps);

        String best = impls.getFirst();   // widest native tier, or java when the library is unavailable
        SequencedMap<String, Double> results = new LinkedHashMap<>();
        results.put("blake3.native_1t_1MiB_GBps", gbps.get(best + "/" + 1024 * KIB + "/1"));
        results.put("blake3.native_over_bouncycastle_64KiB", ratio(gbps, best, "bouncycastle", 64 * KIB));
        results.put("blake3.native_over_commons_64KiB", ratio(gbps, best, "commons", 64 * KIB));
        results.put("blake3.java_over_commons_64KiB", ratio(gbps, "java", "commons", 64 * KIB));
        return results;
    }

    private static double ratio(Map<String, Double> gbps, String a, String b, int size) {
        return gbps.get(a + "/" + size + "/1") / gbps.get(b + "/" + size + "/1");
    }

    private static void printTable(List<String> impls, int cores, Map<String, Double> gbps) {
        System.out.println();
        System.out.printf("%-16s %-8s %10s %10s %10s %10s%n", "BLAKE3 GB/s", "threads", "1 KiB", "64 KiB", "1 MiB",
                "64 MiB");
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            for (String impl : impls) {
                StringBuilder row = new StringBuilder(String.format("%-16s %-8d", impl, threads));
                for (int size : SIZES) {
                    Double v = gbps.get(impl + "/" + size + "/" + threads);
                    row.append(v == null ? String.format(" %10s", "-") : String.format(" %10.3f", v));
                }
                System.out.println(row);
            }
        }
    }
}
