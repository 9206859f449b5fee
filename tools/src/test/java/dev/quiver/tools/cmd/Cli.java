package dev.quiver.tools.cmd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the built CLI ({@code target/quiver.jar}) as child JVMs, as a user would, for the integration tests. */
final class Cli {
    static final Path JAR = Path.of("target", "quiver.jar").toAbsolutePath();

    private Cli() {
    }

    /** A finished run. */
    record Result(int exit, String stdout, String stderr) {
    }

    /** A {@code quiver send} running in the background, with the ticket it printed. */
    record Sender(Process process, String ticket, Path stderr) implements AutoCloseable {
        /** Waits for the sender to exit by itself (--once); returns its exit code. */
        int awaitExit(long seconds) throws Exception {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "quiver send did not exit: "
                    + Files.readString(stderr));
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // Non-ASCII file names need a UTF-8 file-name encoding whatever the CI locale is.
        builder.environment().put("LC_ALL", "C.UTF-8");
        return builder;
    }

    /** Runs {@code quiver args} to its end (at most {@code seconds}). */
    static Result run(Path scratch, long seconds, String... args) throws Exception {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process process = builder(List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("quiver " + String.join(" ", args) + " did not finish in " + seconds + " s: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Starts {@code quiver send --bind 127.0.0.1:0 ... PATH} and waits for its ticket line. */
    static Sender send(Path scratch, Path path, boolean once) throws Exception {
        List<String> args = new ArrayList<>(List.of("send", "--bind", "127.0.0.1:0", "--store",
                scratch.resolve("store").toString(), "--identity-dir", scratch.resolve("identity").toString()));
        if (once) {
            args.add("--once");
        }
        args.add(path.toString());
        Path err = Files.createTempFile(scratch, "send-err", ".txt");
        Process process = builder(args).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> ticket = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("ticket: ")) {
                        return line.substring("ticket: ".length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String text = ticket.get(30, TimeUnit.SECONDS);
        if (text == null) {
            process.destroyForcibly();
            fail("quiver send printed no ticket: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Sender(process, text, err);
    }
}
