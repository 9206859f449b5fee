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
        return new OptionsBuilder()
                .include(benchmarkClass.getName())
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
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
}
