package dev.quiver.tools.cmd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plain command lines of {@code send} and {@code recv} read without picocli: known flags, known options with
 * one value ({@code --name VALUE} or {@code --name=VALUE}), {@code --} and positional words. Picocli's model of a
 * command costs a few hundred milliseconds of CPU on every start (its Java 5 class files cannot go into the start-up
 * cache, so they are parsed and verified each run, and it reflects over every subcommand), which a 10 000-file
 * {@code recv} of about two seconds pays in full. {@link #parse} returns null for anything else (help, version,
 * unknown or repeated options, {@code @argfiles}, option values that look like options, clustered short options), and
 * the caller then hands the whole command line to picocli, which gives the help text and the error messages.
 * Immutable.
 */
final class PlainArgs {
    private final Set<String> flags;
    private final Map<String, String> values;
    private final List<String> positionals;

    private PlainArgs(Set<String> flags, Map<String, String> values, List<String> positionals) {
        this.flags = flags;
        this.values = values;
        this.positionals = positionals;
    }

    /**
     * Reads {@code args} (the words after the subcommand's name). {@code flagNames} take no value;
     * {@code valueNames} map each accepted spelling of an option with a value to its canonical name (so
     * {@code -o} and {@code --output} are one option). Returns null when picocli must parse the line.
     */
    static PlainArgs parse(List<String> args, Set<String> flagNames, Map<String, String> valueNames) {
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) { // a lone "-" names standard input
                positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (flagNames.contains(name)) {
                if (eq >= 0 || !flags.add(name)) {
                    return null;
                }
                continue;
            }
            String canonical = valueNames.get(name);
            if (canonical == null || values.containsKey(canonical)) {
                return null;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                return null;
            }
            // picocli reads a value that looks like an option or an argfile differently (or refuses it).
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            values.put(canonical, value);
        }
        return new PlainArgs(Set.copyOf(flags), Map.copyOf(values), List.copyOf(positionals));
    }

    /** Whether the flag {@code name} was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The value of the option {@code canonical}, or null if it was not given. */
    String value(String canonical) {
        return values.get(canonical);
    }

    /** The positional words, in order. */
    List<String> positionals() {
        return positionals;
    }

    /**
     * {@code text} as a non-negative int when it is plain decimal digits without a leading zero (the one form
     * every integer parser reads alike), else -1.
     */
    static int plainInt(String text) {
        long value = plainLong(text);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** As {@link #plainInt}, for values up to 18 digits. */
    static long plainLong(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || text.length() > 1 && text.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
