package dev.quiver.tools.cmd;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.tools.transfer.ExitCodes;
import dev.quiver.tools.transfer.Failure;
import dev.quiver.tools.transfer.SendSource;
import dev.quiver.tools.transfer.Sizes;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.blob.BlobProvider;
import dev.quiver.transport.blob.DownloadComplete;
import dev.quiver.transport.blob.FsBlobStore;
import dev.quiver.transport.blob.ProviderLimits;
import dev.quiver.transport.identity.IdentityStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code quiver send PATH}: imports a file or directory into the local store as a collection, prints a ticket and
 * serves it until Ctrl-C (or, with {@code --once}, until one receiver reports the whole collection done).
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a file or directory; prints the ticket a receiver passes to `quiver recv`.",
                "Runs until Ctrl-C, or with --once until one receiver has everything."},
        exitCodeListHeading = "%nExit codes:%n")
public final class SendCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "The file or directory to send.")
    private Path path;

    @Option(names = "--once", description = "Exit after one receiver has downloaded everything.")
    private boolean once;

    @Option(names = "--bind", paramLabel = "ADDR:PORT",
            description = "UDP address to listen on (default 0.0.0.0:0: every interface, any free port).")
    private String bind = "0.0.0.0:0";

    @Option(names = "--store", paramLabel = "DIR",
            description = "Blob store the content is imported into (default $XDG_CACHE_HOME/quiver/store or "
                    + "~/.cache/quiver/store).")
    private Path store;

    @Mixin
    private RelayOptions relay = new RelayOptions();

    @Option(names = "--identity-dir", paramLabel = "DIR",
            description = "Where this node's key lives, created on first use (default $XDG_CONFIG_HOME/quiver or "
                    + "~/.config/quiver).")
    private Path identityDir;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs {@code quiver send args} without picocli when {@link PlainArgs} reads them ({@code --once},
     * {@code --bind ADDR:PORT}, {@code --store DIR}, {@code --identity-dir DIR}, each at most once, {@code --opt=value}
     * too, and one PATH); returns null when picocli must parse the line ({@code --relay}, help, errors, any other
     * syntax).
     */
    public static Integer runSimple(List<String> args, PrintWriter out, PrintWriter err) {
        PlainArgs plain = PlainArgs.parse(args, Set.of("--once"),
                Map.of("--bind", "--bind", "--store", "--store", "--identity-dir", "--identity-dir"));
        if (plain == null || plain.positionals().size() != 1) {
            return null;
        }
        SendCommand command = new SendCommand();
        try {
            command.path = Path.of(plain.positionals().getFirst());
            String storeDir = plain.value("--store");
            command.store = storeDir == null ? null : Path.of(storeDir);
            String identity = plain.value("--identity-dir");
            command.identityDir = identity == null ? null : Path.of(identity);
        } catch (InvalidPathException e) {
            return null;
        }
        String bindText = plain.value("--bind");
        if (bindText != null) {
            command.bind = bindText;
        }
        command.once = plain.flag("--once");
        return command.run(out, err);
    }

    private int run(PrintWriter out, PrintWriter err) {
        InetSocketAddress bindAddress;
        try {
            bindAddress = parseBind(bind);
        } catch (IllegalArgumentException e) {
            err.println("quiver send: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            FsBlobStore blobs = FsBlobStore.open(store != null ? store : defaultStore());
            err.println("quiver send: importing " + path + " ...");
            err.flush();
            long startNs = System.nanoTime();
            SendSource source = SendSource.importPath(blobs, path);
            err.println(String.format(Locale.ROOT, "quiver send: %s: %d file%s, %s, hashed in %.1f s",
                    source.name(), source.files(), source.files() == 1 ? "" : "s", Sizes.bytes(source.totalBytes()),
                    (System.nanoTime() - startNs) / 1e9));
            return serve(blobs, source, bindAddress, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            err.println("quiver send: " + failure.message());
            return failure.exitCode() == ExitCodes.NOT_FOUND ? ExitCodes.FAILED : failure.exitCode();
        }
    }

    private int serve(FsBlobStore blobs, SendSource source, InetSocketAddress bindAddress, PrintWriter out,
                      PrintWriter err) throws Exception {
        QuiverNode.Builder builder = QuiverNode.builder().bindAddress(bindAddress)
                .identityDirectory(identityDir != null ? identityDir : IdentityStore.defaultDirectory());
        try (QuiverNode node = builder.build();
             BlobProvider provider = BlobProvider.start(node, blobs, ProviderLimits.DEFAULT);
             RelayOptions.Held held = relay.enabled() ? relay.start(node, err, content(source)) : null) {
            CompletableFuture<DownloadComplete> done = new CompletableFuture<>();
            BlobHash collection = source.collection();
            provider.onDownloadComplete(event -> {
                if (event.hash().equals(collection)) {
                    err.println("quiver send: node " + event.peer() + " has received " + source.name());
                    err.flush();
                    done.complete(event);
                }
            });
            Ticket ticket = content(source).apply(held != null ? held.ticket() : node.ticket());
            out.println("ticket: " + ticket);
            out.flush();
            err.println("quiver send: serving on " + node.localAddress() + " as node " + node.nodeId());
            err.println("quiver send: on the other machine run: quiver recv " + ticket);
            err.println(once ? "quiver send: exits after one complete download" : "quiver send: Ctrl-C to stop");
            err.flush();
            if (once) {
                done.get();
            } else {
                // Serves until Ctrl-C; closing on the way out tells connected receivers at once (QUIC
                // CONNECTION_CLOSE) instead of leaving them to time out.
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                    provider.close();
                    node.close();
                }));
                new CompletableFuture<Void>().get();
            }
            err.println(String.format(Locale.ROOT, "quiver send: served %s", Sizes.bytes(
                    provider.stats().bytesServed())));
        }
        return ExitCodes.OK;
    }

    /** A node ticket with the collection being sent. */
    private static Function<Ticket, Ticket> content(SendSource source) {
        return t -> t.withBlob(source.collection().bytes(), Ticket.BlobFormat.COLLECTION);
    }

    /** {@code ADDR:PORT}, {@code [v6]:PORT} or {@code :PORT} (every interface). */
    static InetSocketAddress parseBind(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--bind wants ADDR:PORT (e.g. 0.0.0.0:4433), got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bind: '" + text.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("--bind: port " + port + " is out of range 0..65535");
        }
        try {
            return new InetSocketAddress(host.isEmpty() ? InetAddress.getByName("0.0.0.0")
                    : InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: cannot resolve '" + host + "'");
        }
    }

    /** {@code $XDG_CACHE_HOME/quiver/store}, else {@code ~/.cache/quiver/store} (XDG Base Directory spec). */
    static Path defaultStore() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        // The spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("quiver").resolve("store");
    }
}
