package dev.quiver.bench;

import dev.quiver.bench.jmh.Blake3Suite;
import dev.quiver.bench.jmh.GfSuite;

import java.util.List;
import java.util.function.Supplier;

/** The suites {@code bench/run} knows. */
final class Suites {
    private record Entry(String name, Supplier<BenchSuite> factory) {
    }

    private static final List<Entry> ALL = List.of(
            new Entry("blake3", Blake3Suite::new),
            new Entry("gf", GfSuite::new));

    private Suites() {
    }

    static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }

    static BenchSuite byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst()
                .map(e -> e.factory().get())
                .orElseThrow(() -> new IllegalArgumentException("unknown suite '" + name + "'; suites: " + names()));
    }
}
