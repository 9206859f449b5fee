package dev.quiver.tools.cmd;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.tools.transfer.ExitCodes;
import dev.quiver.tools.transfer.Failure;
import dev.quiver.tools.transfer.ProgressPrinter;
import dev.quiver.tools.transfer.Summary;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.TicketFormatException;
import dev.quiver.transport.blob.BlobDownloader;
import dev.quiver.transport.blob.DownloadOptions;
import dev.quiver.transport.blob.ProviderStatus;
import dev.quiver.transport.blob.Transfer;
import dev.quiver.transport.blob.TransferResult;
import dev.quiver.transport.blob.TransferStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code quiver recv TICKET...}: downloads what the tickets name (several tickets naming the same content are
 * several providers, fetched from at once), verifies every chunk group as it arrives, writes each file under its
 * final name only when it is complete, and prints a summary (or one JSON object with {@code --json}).
 */
@Command(name = "recv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Downloads and verifies what `quiver send` serves.",
                "Several tickets for the same content fetch from every sender at once.",
                "An interrupted download resumes when the same command runs again."},
        exitCodeListHeading = "%nExit codes:%n")
public final class RecvCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "TICKET", arity = "1..*", description = "Tickets printed by `quiver send`.")
    private List<String> tickets;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Directory to write into (default: .).")
    private Path output = Path.of(".");

    @Option(names = "--force", description = "Replace files that already exist.")
    private boolean force;

    @Option(names = "--json", description = "Print one JSON object as the summary (also on failure).")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up on a peer that sends nothing for this long (default 10).")
    private int timeoutSeconds = 10;

    @Option(names = "--verbose", description = "Log connection details, each provider's progress, and at the end "
            + "each path's RTT, goodput, loss and bytes.")
    private boolean verbose;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs {@code quiver recv args} without picocli when {@link PlainArgs} reads them (the forms in {@code --help}:
     * {@code -o DIR}, {@code --output DIR}, {@code --force}, {@code --json}, {@code --timeout SECONDS},
     * {@code --verbose}, each at most once, {@code --opt=value} too, and tickets); returns null when picocli must
     * parse the line (help, errors, any other syntax).
     */
    public static Integer runSimple(List<String> args, PrintWriter out, PrintWriter err) {
        PlainArgs plain = PlainArgs.parse(args, Set.of("--force", "--json", "--verbose"),
                Map.of("-o", "--output", "--output", "--output", "--timeout", "--timeout"));
        if (plain == null || plain.positionals().isEmpty()) {
            return null;
        }
        RecvCommand command = new RecvCommand();
        command.tickets = plain.positionals();
        String output = plain.value("--output");
        if (output != null) {
            try {
                command.output = Path.of(output);
            } catch (InvalidPathException e) {
                return null;
            }
        }
        String timeout = plain.value("--timeout");
        if (timeout != null) {
            command.timeoutSeconds = PlainArgs.plainInt(timeout);
            if (command.timeoutSeconds < 0) {
                return null;
            }
        }
        command.force = plain.flag("--force");
        command.json = plain.flag("--json");
        command.verbose = plain.flag("--verbose");
        return command.run(out, err);
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (verbose) {
            // Read when the first logger is made, which is later than this (the library has not run yet).
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        if (timeoutSeconds < 1) {
            return fail(new Failure(ExitCodes.USAGE, "--timeout must be at least 1 second", ""), out, err);
        }
        try {
            List<Ticket> providers = parse(tickets);
            return receive(providers, out, err);
        } catch (Exception e) {
            return fail(Failure.of(e), out, err);
        }
    }

    private int receive(List<Ticket> providers, PrintWriter out, PrintWriter err) throws Exception {
        Ticket first = providers.getFirst();
        BlobHash hash = new BlobHash(first.blobHash().orElseThrow());
        boolean collection = first.blobFormat().orElseThrow() == Ticket.BlobFormat.COLLECTION;
        // Dial sockets bind to the listener's address, so listen on every interface to reach any peer. The QUIC
        // idle timeout is also how long a handshake with a silent address waits; keep-alives hold quiet but live
        // connections open. (Not Duration.dividedBy: it divides through BigDecimal, whose class initialisation
        // alone cost ~10 ms of every start, interpreted.)
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        QuiverNode.Builder builder = QuiverNode.builder().bindAddress(new InetSocketAddress(0))
                .quicConfig(QuicConfig.builder().idleTimeout(timeout)
                        .keepAliveInterval(Duration.ofMillis(timeoutSeconds * 1000L / 3)).build());
        try (QuiverNode node = builder.build(); RelayRoute route = RelayRoute.start(node, providers)) {
            BlobDownloader downloader = new BlobDownloader(node, DownloadOptions.DEFAULT.withStallTimeout(timeout),
                    route::connect);
            Transfer transfer = collection ? downloader.fetchCollection(hash, providers, output, force)
                    : downloader.fetchBlob(hash, providers, output.resolve(hash.toHex()), force);
            AtomicBoolean finished = new AtomicBoolean();
            Thread onCtrlC = Thread.ofPlatform().unstarted(() -> {
                if (!finished.get()) {
                    transfer.cancel();
                    awaitQuietly(transfer);
                    err.println();
                    err.println("quiver recv: interrupted; the verified part is kept: run the same command again "
                            + "to resume");
                    err.flush();
                }
            });
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            TransferResult result;
            try (ProgressPrinter progress = ProgressPrinter.start(err, () -> sample(transfer.status(), verbose),
                    ProgressPrinter.onTerminal())) {
                result = transfer.result().get();
            } finally {
                finished.set(true);
            }
            if (verbose) {
                route.lines().forEach(err::println);
            }
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
            Summary summary = summary(result, transfer.status());
            out.print(json ? route.json(summary.json()) + System.lineSeparator() : summary.text());
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The tickets, which must all name the same content (several providers of one hash). */
    static List<Ticket> parse(List<String> texts) throws TicketFormatException {
        List<Ticket> parsed = new ArrayList<>();
        for (String text : texts) {
            Ticket t = Ticket.parse(text);
            if (t.blobHash().isEmpty()) {
                throw new TicketFormatException(TicketFormatException.Reason.BAD_FIELD,
                        "ticket " + abbreviate(text) + " names a node but no content; use the ticket `quiver send` "
                                + "prints");
            }
            if (!parsed.isEmpty() && !(Arrays.equals(parsed.getFirst().blobHash().orElseThrow(),
                    t.blobHash().orElseThrow()) && parsed.getFirst().blobFormat().equals(t.blobFormat()))) {
                throw new TicketFormatException(TicketFormatException.Reason.BAD_FIELD,
                        "tickets name different content; several tickets must be providers of the same content"
                                + " (receive different content with separate commands)");
            }
            parsed.add(t);
        }
        return parsed;
    }

    private static String abbreviate(String ticket) {
        String t = ticket.strip();
        return t.length() <= 16 ? t : t.substring(0, 12) + "...";
    }

    private static ProgressPrinter.Sample sample(TransferStatus s, boolean perProvider) {
        return new ProgressPrinter.Sample(s.bytesVerified(), Math.max(0, s.totalBytes()), s.rateBytesPerSecond(),
                perProvider ? describe(s.providers()) : "");
    }

    private static String describe(List<ProviderStatus> providers) {
        StringBuilder b = new StringBuilder();
        for (ProviderStatus p : providers) {
            b.append(b.isEmpty() ? "" : ", ").append(p.node().shortString()).append(' ')
                    .append(p.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    private static Summary summary(TransferResult r, TransferStatus status) {
        List<Summary.Provider> providers = new ArrayList<>();
        for (ProviderStatus p : status.providers()) {
            String state = p.state().name().toLowerCase(java.util.Locale.ROOT);
            providers.add(new Summary.Provider(p.node().toString(), p.bytesReceived(),
                    p.reason() == null ? state : state + ": " + p.reason()));
        }
        return new Summary(r.totalBytes(), r.bytesFetched(), r.seconds(), r.hash().toHex(), providers, r.paths());
    }

    private int fail(Failure failure, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(Summary.failureJson(failure));
            out.flush();
        }
        err.println("quiver recv: " + failure.message());
        if (!failure.hint().isEmpty()) {
            err.println("  " + failure.hint());
        }
        err.flush();
        return failure.exitCode();
    }

    private static void awaitQuietly(Transfer transfer) {
        try {
            transfer.result().get(10, TimeUnit.SECONDS);
        } catch (CancellationException | ExecutionException | java.util.concurrent.TimeoutException e) {
            // cancelled as asked; the verified part is committed by cancel()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
