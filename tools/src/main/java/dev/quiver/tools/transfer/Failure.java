package dev.quiver.tools.transfer;

import dev.quiver.transport.blob.BlobNotFoundException;
import dev.quiver.transport.blob.DiskFullException;
import dev.quiver.codec.blob.InvalidManifestException;
import dev.quiver.transport.DialException;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.TicketFormatException;

import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;

/**
 * A failed send or receive as the user sees it: the exit code ({@link ExitCodes}), what went wrong and what to do
 * about it. {@link #of} reads the whole cause chain, because the library wraps the telling exception (a
 * {@link PeerIdentityMismatchException} arrives inside a TLS handshake failure inside a {@link DialException}).
 *
 * @param exitCode one of {@link ExitCodes}
 * @param message what went wrong, one line
 * @param hint what the user can do, one line (may be empty)
 */
public record Failure(int exitCode, String message, String hint) {

    /** The failure {@code error} stands for. */
    public static Failure of(Throwable error) {
        List<Throwable> chain = chain(error);
        // Most specific first: a wrong key also looks like an unreachable peer (the handshake failed).
        for (Throwable t : chain) {
            if (t instanceof PeerIdentityMismatchException e) {
                return new Failure(ExitCodes.WRONG_NODE_KEY, e.getMessage(),
                        "ask the sender for a fresh ticket; a ticket is tied to the sender's node key");
            }
        }
        for (Throwable t : chain) {
            switch (t) {
                case TicketFormatException e -> {
                    return new Failure(ExitCodes.USAGE, "bad ticket: " + e.getMessage(),
                            "copy the whole ticket line printed by `quiver send` (it starts with qv)");
                }
                case BlobNotFoundException e -> {
                    return new Failure(ExitCodes.NOT_FOUND, "the peer does not have " + e.hash()
                            + " (was it sending something else, or restarted with another file?)",
                            "ask the sender for the ticket `quiver send` prints now");
                }
                case FileAlreadyExistsException e -> {
                    return new Failure(ExitCodes.TARGET_EXISTS, e.getFile() + " already exists; nothing was "
                            + "overwritten", "pass --force to replace it, or -o DIR to receive elsewhere");
                }
                case DiskFullException e -> {
                    return new Failure(ExitCodes.DISK_FULL, e.getMessage(),
                            "free some space (or use -o DIR on another file system) and rerun the same command: "
                                    + "verified data is kept and not fetched again");
                }
                case InvalidManifestException e -> {
                    return new Failure(ExitCodes.FAILED, "the sender's collection is invalid and was refused "
                            + "before anything was written: " + e.getMessage(), "");
                }
                default -> {
                    if (isDiskFull(t)) {
                        return new Failure(ExitCodes.DISK_FULL, "disk full: " + t.getMessage(),
                                "free some space (or use -o DIR on another file system) and rerun the same "
                                        + "command: verified data is kept and not fetched again");
                    }
                }
            }
        }
        for (Throwable t : chain) {
            if (t instanceof DialException e) {
                return new Failure(ExitCodes.UNREACHABLE, e.getMessage(),
                        "check that `quiver send` is still running and that its UDP port is reachable "
                                + "(firewall, VPN, another network)");
            }
        }
        String message = error.getMessage() != null ? error.getMessage() : error.toString();
        return new Failure(ExitCodes.FAILED, message, "");
    }

    private static boolean isDiskFull(Throwable t) {
        // ENOSPC surfaces as a plain IOException whose message is the C library's text.
        return t.getMessage() != null && t.getMessage().contains("No space left on device");
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t) && chain.size() < 32; t = t.getCause()) {
            chain.add(t);
            for (Throwable s : t.getSuppressed()) {
                chain.add(s);
            }
        }
        return chain;
    }
}
