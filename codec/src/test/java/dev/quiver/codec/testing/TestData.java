package dev.quiver.codec.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data that sits beside the repository ({@code ../shared/testdata}). */
public final class TestData {

    private TestData() {
    }

    /**
     * The file {@code name} under the shared test data directory: the system property {@code quiver.testdata}
     * (set by the build), else {@code ../shared/testdata} searched upwards from the working directory.
     */
    public static Path file(String name) {
        String configured = System.getProperty("quiver.testdata");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured, name);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("testdata").resolve(name);
            if (Files.exists(candidate)) {
                return candidate;
            }
            candidate = dir.resolveSibling("shared").resolve("testdata").resolve(name);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared test data '" + name + "' not found; expected ../shared/testdata "
                + "beside the repository, or -Dquiver.testdata=DIR");
    }
}
