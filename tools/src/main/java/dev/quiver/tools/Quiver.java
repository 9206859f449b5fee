package dev.quiver.tools;

import dev.quiver.tools.cmd.DemoCommand;
import dev.quiver.tools.cmd.HashCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code quiver} command line. Each subcommand lives in {@code dev.quiver.tools.cmd}. */
@Command(name = "quiver",
        mixinStandardHelpOptions = true,
        version = "quiver 0.1.0",
        description = "QUIC-first transfers with verified streaming.",
        subcommands = {DemoCommand.class, HashCommand.class, CommandLine.HelpCommand.class})
public final class Quiver {

    /** Runs the command line and returns its exit status; {@link #main} is the only place that exits. */
    public static int run(String... args) {
        return new CommandLine(new Quiver()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
