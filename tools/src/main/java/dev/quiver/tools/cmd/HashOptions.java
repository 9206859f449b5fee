package dev.quiver.tools.cmd;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one {@code quiver hash} run, filled either by picocli ({@link HashCommand}) or, for the plain
 * command lines that scripts use, by {@link #parseSimple}: that skips picocli's reflective model of every
 * subcommand, which costs a few hundred milliseconds of start-up (picocli's Java 5 class files cannot go into the
 * class-data archive, so they are parsed and verified on every run).
 */
public final class HashOptions {
    int threads;
    boolean keyed;
    String deriveKeyContext;
    long length = 32;
    boolean noMmap;
    boolean noNames;
    List<String> files = List.of();

    private static final Set<String> FLAGS = Set.of("--keyed", "--no-mmap", "--no-names");
    private static final Map<String, String> VALUES = Map.of("--threads", "--threads", "--num-threads", "--threads",
            "-l", "--length", "--length", "--length", "--derive-key", "--derive-key");

    /**
     * The options of {@code args} (the words after {@code hash}), or null when they use anything but the plain
     * forms: {@code --threads N}, {@code --num-threads N}, {@code --keyed}, {@code --derive-key CONTEXT},
     * {@code -l N}, {@code --length N} (also {@code --opt=value}), {@code --no-mmap}, {@code --no-names},
     * {@code --} and file names. Null sends the command line to picocli, which then gives the help, the error
     * messages and every other syntax it knows (repeated options, {@code @argfiles}, clustered short options).
     */
    static HashOptions parseSimple(List<String> args) {
        PlainArgs plain = PlainArgs.parse(args, FLAGS, VALUES);
        if (plain == null) {
            return null;
        }
        HashOptions options = new HashOptions();
        options.keyed = plain.flag("--keyed");
        options.noMmap = plain.flag("--no-mmap");
        options.noNames = plain.flag("--no-names");
        options.deriveKeyContext = plain.value("--derive-key");
        String threads = plain.value("--threads");
        if (threads != null && (options.threads = PlainArgs.plainInt(threads)) < 0) {
            return null;
        }
        String length = plain.value("--length");
        if (length != null && (options.length = PlainArgs.plainLong(length)) < 0) {
            return null;
        }
        if (options.keyed && options.deriveKeyContext != null) {
            return null;
        }
        options.files = plain.positionals();
        return options;
    }
}
