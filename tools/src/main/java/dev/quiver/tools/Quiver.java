package dev.quiver.tools;

import dev.quiver.tools.cmd.DemoCommand;
import dev.quiver.tools.cmd.HashCommand;
import dev.quiver.tools.cmd.RecvCommand;
import dev.quiver.tools.cmd.RelayCommand;
import dev.quiver.tools.cmd.SendCommand;
import dev.quiver.tools.cmd.TrainCommand;
import dev.quiver.tools.transfer.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The {@code quiver} command line. Each subcommand lives in {@code dev.quiver.tools.cmd}. */
@Command(name = "quiver",
        mixinStandardHelpOptions = true,
        version = Quiver.VERSION,
        description = "QUIC-first transfers with verified streaming.",
        subcommands = {SendCommand.class, RecvCommand.class, DemoCommand.class, HashCommand.class,
                RelayCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class Quiver {
    static final String VERSION = "quiver 0.1.0";

    /** Runs the command line and returns its exit status; {@link #main} is the only place that exits. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Quiver());
        for (String name : new String[] {"send", "recv"}) {
            commandLine.getSubcommands().get(name).getCommandSpec().usageMessage().exitCodeList(ExitCodes.help());
        }
        return commandLine.execute(args);
    }

    /** A subcommand's picocli-free path: its exit status, or null when picocli must parse the arguments. */
    @FunctionalInterface
    private interface SimpleRun {
        Integer run(List<String> args, PrintWriter out, PrintWriter err) throws IOException;
    }

    private static final Map<String, SimpleRun> SIMPLE = Map.of("hash", HashCommand::runSimple,
            "recv", RecvCommand::runSimple, "send", SendCommand::runSimple);

    /**
     * As {@link #run}, but {@code --version} and plain {@code hash}, {@code send} and {@code recv} command lines
     * skip building picocli's model of every subcommand (a few hundred milliseconds of CPU, which a small transfer
     * pays in full); anything else goes to picocli.
     */
    static int runFast(String... args) throws IOException {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            PrintWriter out = writer(System.out, "sun.stdout.encoding");
            out.println(VERSION);
            out.flush();
            return 0;
        }
        if (args.length >= 1 && SIMPLE.containsKey(args[0])) {
            PrintWriter out = writer(System.out, "sun.stdout.encoding");
            PrintWriter err = writer(System.err, "sun.stderr.encoding");
            Integer status = SIMPLE.get(args[0]).run(Arrays.asList(args).subList(1, args.length), out, err);
            out.flush();
            err.flush();
            if (status != null) {
                return status;
            }
        }
        return run(args);
    }

    /** A writer as picocli makes for its {@code getOut()}/{@code getErr()}, so both paths print the same bytes. */
    private static PrintWriter writer(OutputStream stream, String encodingProperty) {
        String name = System.getProperty(encodingProperty);
        Charset charset = Charset.defaultCharset();
        if (name != null) {
            try {
                charset = Charset.forName(name.equalsIgnoreCase("cp65001") ? "UTF-8" : name);
            } catch (IllegalArgumentException e) {
                // picocli falls back to the default charset in the same case
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    /** Netty's switch for its buffer JFR events (allocation and release of chunks and buffers). */
    static final String NETTY_JFR = "io.netty.jfr.enabled";
    /** Netty's buffer leak detector (default: tracks a sample of buffers and reports the ones never released). */
    static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    /**
     * Turns two of Netty's buffer diagnostics off unless the command line sets them: its JFR events, which record
     * nothing without a recording yet send every allocation check through JFR's event machinery (a short
     * {@code recv} compiled ~140 more methods), and its leak detector, which tracks a sample of buffers with
     * weak references. Measured on 10 000 small files, alternating with and without, same jar and cache: each cost
     * both sides ~4-9% of their CPU. {@code -Dio.netty.jfr.enabled=true} or
     * {@code -Dio.netty.leakDetection.level=simple} (through {@code QUIVER_JVM_OPTS}) bring them back for
     * debugging; tests, which do not start here, keep Netty's defaults. Runs before any Netty class is initialised.
     */
    static void defaultProperties() {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
    }

    public static void main(String[] args) throws IOException {
        defaultProperties();
        System.exit(runFast(args));
    }
}
