package dev.quiver.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of {@code bench/run SUITE}: runs one suite, which prints its table, then prints the suite's
 * {@code RESULT <key> <value>} lines last.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BenchMain SUITE [--quick]; suites: " + Suites.names());
        }
        BenchSuite suite = Suites.byName(args[0]);
        Map<String, Double> results = suite.run(Arrays.copyOfRange(args, 1, args.length));
        System.out.println();
        results.forEach((key, value) -> System.out.printf("RESULT %s %.3f%n", key, value));
    }
}
