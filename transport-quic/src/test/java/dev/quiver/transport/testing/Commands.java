package dev.quiver.transport.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip} and {@code tc} and turns a non-zero exit into an {@link IOException} carrying stderr. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 10;
    private static final List<String> SEARCH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Commands() {
    }

    /** Absolute path of {@code tool} on {@code PATH} or in the usual sbin directories. */
    static Optional<Path> find(String tool) {
        List<String> dirs = new ArrayList<>(SEARCH);
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(0, List.of(path.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool))
                .filter(Files::isExecutable).findFirst();
    }

    /** Runs {@code command}; returns its stdout. */
    static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        try {
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
        }
    }

    /** Runs {@code command} with its arguments. */
    static String run(String... command) throws IOException {
        return run(List.of(command));
    }
}
