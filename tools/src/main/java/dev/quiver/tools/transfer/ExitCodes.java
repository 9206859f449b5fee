package dev.quiver.tools.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code quiver send} and {@code quiver recv}, one per failure a user (or a script) acts on
 * differently. They are listed in each command's {@code --help} and in the README; keep all three in step.
 */
public final class ExitCodes {
    /** Done: every byte arrived and was verified (recv), or the provider stopped cleanly (send). */
    public static final int OK = 0;
    /** Anything not listed below: an I/O error, or no provider delivered verified data. */
    public static final int FAILED = 1;
    /** Bad command line or a ticket that does not parse (typo, truncated copy). */
    public static final int USAGE = 2;
    /** No address in the ticket answered (sender stopped, firewall, wrong network). */
    public static final int UNREACHABLE = 3;
    /** The peer answered with another node key than the ticket names (stale or edited ticket). */
    public static final int WRONG_NODE_KEY = 4;
    /** The peer does not have the content the ticket names. */
    public static final int NOT_FOUND = 5;
    /** The target file system ran out of space; the verified part is kept for a resume. */
    public static final int DISK_FULL = 6;
    /** A file with a target name already exists; nothing was overwritten ({@code --force} replaces it). */
    public static final int TARGET_EXISTS = 7;
    /** Stopped by Ctrl-C (128 + SIGINT, as shells report it); the verified part is kept for a resume. */
    public static final int INTERRUPTED = 130;

    /** Code and meaning, in order, as picocli prints them under "Exit Codes" in {@code --help}. */
    public static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put(Integer.toString(OK), "Success.");
        help.put(Integer.toString(FAILED), "Other failure (I/O error, no provider delivered verified data).");
        help.put(Integer.toString(USAGE), "Bad command line or unreadable ticket.");
        help.put(Integer.toString(UNREACHABLE), "Peer unreachable: no address in the ticket answered.");
        help.put(Integer.toString(WRONG_NODE_KEY), "Wrong node key: the peer is not the node the ticket names.");
        help.put(Integer.toString(NOT_FOUND), "The peer does not have the content the ticket names.");
        help.put(Integer.toString(DISK_FULL), "Disk full (verified data kept; rerun to resume).");
        help.put(Integer.toString(TARGET_EXISTS), "Target exists (--force replaces it).");
        help.put(Integer.toString(INTERRUPTED), "Interrupted by Ctrl-C (verified data kept; rerun to resume).");
        return help;
    }

    private ExitCodes() {
    }
}
