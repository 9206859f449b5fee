package dev.quiver.tools.cmd;

import dev.quiver.transport.relay.RelayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quiver relay}: runs a relay until interrupted. It prints its ticket as {@code relay: <ticket>}; nodes pin the
 * relay's node ID from it and reserve a slot there ({@code dev.quiver.transport.relay.RelayClient}).
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Runs a relay that forwards end-to-end encrypted QUIC packets between nodes that cannot reach "
                + "each other. Prints 'relay: <ticket>' and serves until interrupted.")
public final class RelayCommand implements Callable<Integer> {
    /** The port a relay listens on unless told otherwise. */
    static final int DEFAULT_PORT = 4919;

    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT",
            description = "UDP address to listen on (default 0.0.0.0:" + DEFAULT_PORT + "; IPv6 as [ADDR]:PORT).")
    private String listen = "0.0.0.0:" + DEFAULT_PORT;

    @Option(names = "--identity", paramLabel = "DIR",
            description = "Directory of the relay's key, created on first run (default ~/.quiver/relay). The node ID "
                    + "in the ticket stays the same across restarts, so tickets that name this relay keep working.")
    private Path identity = Path.of(System.getProperty("user.home"), ".quiver", "relay");

    @Option(names = "--data-port", paramLabel = "PORT",
            description = "UDP port of the relay's circuit data socket, on the --listen IP (default 0: an ephemeral "
                    + "port nodes learn when a circuit is set up). Fix it when a firewall must let circuits through.")
    private int dataPort;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws IOException {
        InetSocketAddress address = parseListen(listen);
        if (dataPort < 0 || dataPort > 0xFFFF) {
            throw new ParameterException(spec.commandLine(), "--data-port must be 0..65535, got " + dataPort);
        }
        try (RelayServer relay = RelayServer.builder().bindAddress(address).dataPort(dataPort)
                .identityDirectory(identity).build()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("relay: " + relay.ticket());
            out.flush();
            Thread hook = new Thread(stop::countDown, "quiver-relay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            }
        }
        return 0;
    }

    /** Parses {@code ADDR:PORT} or {@code [IPv6]:PORT}. */
    InetSocketAddress parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--listen wants ADDR:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 0xFFFF) {
            throw new ParameterException(spec.commandLine(), "--listen port must be 0..65535, got '"
                    + text.substring(colon + 1) + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--listen address '" + host + "' is unknown");
        }
    }

    /** Stops a running {@link #call()} (for tests and embedding). */
    void stop() {
        stop.countDown();
    }
}
