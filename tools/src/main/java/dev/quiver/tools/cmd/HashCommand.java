package dev.quiver.tools.cmd;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quiver hash}: BLAKE3 sums whose output is byte-identical to {@code b3sum}'s (same line format, same
 * escaping of odd file names, same meaning of the flags); the work is {@link HashJob}'s. Plain command lines skip
 * picocli altogether ({@link #runSimple}), so this class only parses the rest and gives help and errors.
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = "Prints BLAKE3 sums, as b3sum does. With no FILE, or when FILE is -, reads standard input.")
public final class HashCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"--threads", "--num-threads"}, paramLabel = "N",
            description = "Threads for large memory-mapped files (default: all cores; 0 means all).")
    private int threads;

    @ArgGroup(exclusive = true)
    private Mode mode = new Mode();

    private static final class Mode {
        @Option(names = "--keyed", description = "Keyed mode; the 32-byte key is read raw from standard input.")
        boolean keyed;

        @Option(names = "--derive-key", paramLabel = "CONTEXT", description = "Key derivation mode with CONTEXT.")
        String deriveKeyContext;
    }

    @Option(names = {"-l", "--length"}, paramLabel = "N", description = "Output bytes before hex (default 32).")
    private long length = 32;

    @Option(names = "--no-mmap", description = "Read files instead of mapping them (also single-threaded).")
    private boolean noMmap;

    @Option(names = "--no-names", description = "Omit file names from the output.")
    private boolean noNames;

    @Parameters(paramLabel = "FILE", description = "Files to hash; - is standard input.")
    private List<String> files = List.of();

    @Override
    public Integer call() throws IOException {
        HashOptions options = new HashOptions();
        options.threads = threads;
        options.keyed = mode.keyed;
        options.deriveKeyContext = mode.deriveKeyContext;
        options.length = length;
        options.noMmap = noMmap;
        options.noNames = noNames;
        options.files = files;
        return new HashJob(options).run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs {@code quiver hash args} without picocli when {@link HashOptions#parseSimple} reads the arguments, with
     * the same output streams picocli would use; returns null when picocli must parse them.
     */
    public static Integer runSimple(List<String> args, PrintWriter out, PrintWriter err) throws IOException {
        HashOptions options = HashOptions.parseSimple(args);
        return options == null ? null : new HashJob(options).run(out, err);
    }
}
