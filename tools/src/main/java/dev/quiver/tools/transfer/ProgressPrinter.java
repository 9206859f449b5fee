package dev.quiver.tools.transfer;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Shows a running transfer's progress on standard error: on a terminal a bar redrawn in place with rate and ETA,
 * otherwise one plain line per interval, which logs and pipes keep readable. Standard output stays free for the
 * summary (and {@code --json}). A daemon thread samples the transfer; {@link #close} stops it and ends the line.
 */
public final class ProgressPrinter implements AutoCloseable {
    private static final long TERMINAL_INTERVAL_MS = 200;
    private static final long PLAIN_INTERVAL_MS = 1000;
    private static final int BAR_WIDTH = 30;

    /**
     * One sample of a transfer.
     *
     * @param doneBytes verified bytes so far
     * @param totalBytes bytes in the whole transfer (0 while unknown)
     * @param bytesPerSecond the current rate
     * @param detail more to show after the numbers (plain lines only), or empty
     */
    public record Sample(long doneBytes, long totalBytes, double bytesPerSecond, String detail) { }

    private final PrintWriter err;
    private final Supplier<Sample> source;
    private final boolean terminal;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean drewBar;

    private ProgressPrinter(PrintWriter err, Supplier<Sample> source, boolean terminal) {
        this.err = err;
        this.source = source;
        this.terminal = terminal;
        this.thread = Thread.ofPlatform().daemon().name("quiver-progress").unstarted(this::loop);
    }

    /** Starts printing samples of {@code source} to {@code err}; a bar when {@code terminal}. */
    public static ProgressPrinter start(PrintWriter err, Supplier<Sample> source, boolean terminal) {
        ProgressPrinter printer = new ProgressPrinter(err, source, terminal);
        printer.thread.start();
        return printer;
    }

    /** Whether standard output and error go to a terminal (JDK 22+ returns a console even when redirected). */
    public static boolean onTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    private void loop() {
        long intervalMs = terminal ? TERMINAL_INTERVAL_MS : PLAIN_INTERVAL_MS;
        while (running) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                print(source.get());
            }
        }
    }

    private synchronized void print(Sample s) {
        if (s.totalBytes() <= 0) {
            // Connecting, or reading the manifest: no size to show a fraction of yet.
            if (!terminal) {
                err.println("progress: connecting and reading the manifest" + (s.detail().isEmpty() ? ""
                        : "; " + s.detail()));
                err.flush();
            }
            return;
        }
        String eta = eta(s);
        if (terminal) {
            int filled = (int) (BAR_WIDTH * Math.min(1.0, s.doneBytes() / (double) s.totalBytes()));
            err.print(String.format(Locale.ROOT, "\r%s [%s%s] %s / %s  %s  ETA %s   ", percent(s),
                    "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), Sizes.bytes(s.doneBytes()),
                    Sizes.bytes(s.totalBytes()), Sizes.rate(s.bytesPerSecond()), eta));
            drewBar = true;
        } else {
            err.println(String.format(Locale.ROOT, "progress %s %s of %s, %s, ETA %s%s", percent(s),
                    Sizes.bytes(s.doneBytes()), Sizes.bytes(s.totalBytes()), Sizes.rate(s.bytesPerSecond()), eta,
                    s.detail().isEmpty() ? "" : "; " + s.detail()));
        }
        err.flush();
    }

    private static String percent(Sample s) {
        return String.format(Locale.ROOT, "%3d%%", 100 * s.doneBytes() / s.totalBytes());
    }

    private static String eta(Sample s) {
        long left = s.totalBytes() - s.doneBytes();
        double seconds = s.bytesPerSecond() > 0 ? Math.ceil(left / s.bytesPerSecond()) : Double.POSITIVE_INFINITY;
        // Before the rate settles (the first samples), an estimate beyond a day says nothing.
        return seconds < 86_400 ? Sizes.duration((long) seconds) : "?";
    }

    /** Stops sampling; on a terminal, ends the bar's line so the summary starts on a fresh one. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drewBar) {
                err.println();
                err.flush();
            }
        }
    }
}
