package dev.quiver.tools.cmd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quiver aot-training JAR} (hidden): the workload {@code ./quiver} records its start-up cache from (JDK 25
 * AOT cache, JEP 483/514). It hashes {@code JAR} on two threads, as {@code hash} does, then runs a small
 * {@code demo} transfer whose directory also holds {@value #TRAINING_FILES} small files, so the classes of both the
 * hashing path and the transfer path (Netty, QUIC, TLS, the blob provider and downloader, and their per-file
 * paths) are loaded and linked ahead of time for {@code send} and {@code recv} too.
 */
@Command(name = "aot-training", hidden = true, description = "The workload ./quiver trains its start-up cache on.")
public final class TrainCommand implements Callable<Integer> {

    /**
     * Small files in the training's directory: enough that the per-file paths of both sides (manifest, one request
     * and one verified answer per file, temporary file, rename) run often enough to be cached with their profiles.
     */
    static final int TRAINING_FILES = 2000;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "JAR", description = "A file to hash (the CLI jar).")
    private String jar;

    @Override
    public Integer call() throws IOException {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        Integer hashed = HashCommand.runSimple(List.of("--threads", "2", jar), discard, discard);
        if (hashed == null || hashed != 0) {
            spec.commandLine().getErr().println("quiver aot-training: hashing " + jar + " failed");
            return 1;
        }
        return spec.root().commandLine().getSubcommands().get("demo").execute("--mib", "4", "--files",
                String.valueOf(TRAINING_FILES));
    }
}
