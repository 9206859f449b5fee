package dev.quiver.bench;

import java.util.SequencedMap;

/** One benchmark suite of {@code bench/run}: measures, prints its table, returns its RESULT keys in order. */
public interface BenchSuite {

    /**
     * Runs the suite. {@code --quick} asks for a smoke run (one short iteration each) that only checks that
     * everything works; its numbers mean little.
     */
    SequencedMap<String, Double> run(String[] args) throws Exception;
}
