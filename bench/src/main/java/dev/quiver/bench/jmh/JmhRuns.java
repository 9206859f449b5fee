package dev.quiver.bench.jmh;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Arrays;
import java.util.Collection;

/** Shared JMH settings for the suites: one fork, native access, the Vector API module, short or normal runs. */
public final class JmhRuns {

    private JmhRuns() {
    }

    /** True when the suite was asked for a smoke run. */
    public static boolean quick(String[] args) {
        return Arrays.asList(args).contains("--quick");
    }

    /** Options for {@code benchmarkClass} with the suite's iteration counts and JVM flags. */
    public static ChainedOptionsBuilder options(Class<?> benchmarkClass, boolean quick) {
        return options(benchmarkClass.getName() + "\\.", quick);
    }

    /** Options for the benchmarks matching {@code includeRegex}, with the suite's iteration counts and JVM flags. */
    public static ChainedOptionsBuilder options(String includeRegex, boolean quick) {
        return new OptionsBuilder()
                .include(includeRegex)
                .forks(1)
                // Five warm-up seconds: C2 needs them for Vector API code on this 2-core machine.
                .warmupIterations(quick ? 1 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                        "-Xms2g", "-Xmx2g")
                .shouldFailOnError(true);
    }

    public static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    /** The method name of a result's benchmark, e.g. {@code mulAdd} of {@code dev.quiver.bench.jmh.GfBench.mulAdd}. */
    public static String method(RunResult result) {
        String name = result.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** The simple class name of a result's benchmark, e.g. {@code GfBench}. */
    public static String benchmarkClass(RunResult result) {
        String name = result.getParams().getBenchmark();
        String owner = name.substring(0, name.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** A result's {@code bytes} auxiliary counter (bytes per second) in GB/s. */
    public static double bytesGBps(RunResult result) {
        var bytes = result.getSecondaryResults().get("bytes");
        if (bytes == null) {
            throw new IllegalStateException(result.getParams().getBenchmark() + " has no 'bytes' counter");
        }
        return bytes.getScore() / 1e9;
    }
}
