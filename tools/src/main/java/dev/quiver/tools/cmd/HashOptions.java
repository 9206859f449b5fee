package dev.quiver.tools.cmd;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * The options of {@code args} (the words after {@code hash}), or null when they use anything but the plain
     * forms: {@code --threads N}, {@code --num-threads N}, {@code --keyed}, {@code --derive-key CONTEXT},
     * {@code -l N}, {@code --length N} (also {@code --opt=value}), {@code --no-mmap}, {@code --no-names},
     * {@code --} and file names. Null sends the command line to picocli, which then gives the help, the error
     * messages and every other syntax it knows (repeated options, {@code @argfiles}, clustered short options).
     */
    static HashOptions parseSimple(List<String> args) {
        HashOptions options = new HashOptions();
        List<String> files = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                files.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                files.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String canonical = canonicalName(name);
            if (canonical == null || seen.contains(canonical)) {
                return null;
            }
            seen.add(canonical);
            boolean flag = canonical.equals("--keyed") || canonical.equals("--no-mmap")
                    || canonical.equals("--no-names");
            if (flag) {
                if (eq >= 0) {
                    return null;
                }
                setFlag(options, canonical);
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                return null;
            }
            if (!setValue(options, canonical, value)) {
                return null;
            }
        }
        if (options.keyed && options.deriveKeyContext != null) {
            return null;
        }
        options.files = List.copyOf(files);
        return options;
    }

    private static String canonicalName(String name) {
        return switch (name) {
            case "--threads", "--num-threads" -> "--threads";
            case "-l", "--length" -> "--length";
            case "--keyed", "--derive-key", "--no-mmap", "--no-names" -> name;
            default -> null;
        };
    }

    private static void setFlag(HashOptions options, String canonical) {
        switch (canonical) {
            case "--keyed" -> options.keyed = true;
            case "--no-mmap" -> options.noMmap = true;
            default -> options.noNames = true;
        }
    }

    private static boolean setValue(HashOptions options, String canonical, String value) {
        if (canonical.equals("--derive-key")) {
            if (value.startsWith("-") || value.startsWith("@")) {
                return false;
            }
            options.deriveKeyContext = value;
            return true;
        }
        // Plain decimal digits only, without a leading zero: the one form every integer parser reads alike.
        if (value.isEmpty() || value.length() > 18 || value.length() > 1 && value.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        long number = Long.parseLong(value);
        if (canonical.equals("--threads")) {
            if (number > Integer.MAX_VALUE) {
                return false;
            }
            options.threads = (int) number;
        } else {
            options.length = number;
        }
        return true;
    }
}
