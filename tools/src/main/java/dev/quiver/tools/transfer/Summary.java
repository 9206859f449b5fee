package dev.quiver.tools.transfer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The final report of {@code quiver recv}: as text for people, or as one JSON object ({@code --json}) for scripts.
 *
 * @param bytes size of the content (every file)
 * @param fetchedBytes bytes fetched and verified in this run (fewer than {@code bytes} after a resume)
 * @param seconds wall time of this run's transfer
 * @param hash the collection's BLAKE3 hash (hex)
 * @param providers who sent what
 * @param paths the files written, in manifest order
 */
public record Summary(long bytes, long fetchedBytes, double seconds, String hash, List<Provider> providers,
                      List<Path> paths) {

    /**
     * One provider's share.
     *
     * @param node its node ID (base32)
     * @param bytes response bytes received from it
     * @param status how it ended ("ok", or why it was dropped)
     */
    public record Provider(String node, long bytes, String status) { }

    /** Goodput in bit/s: bits fetched and verified in this run over its time. */
    public double goodputBitsPerSecond() {
        return seconds > 0 ? fetchedBytes * 8 / seconds : 0;
    }

    /** A few lines for a person. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "received %d file%s, %s in %.2f s: %s, verified (BLAKE3 %s)%n",
                paths.size(), paths.size() == 1 ? "" : "s", Sizes.bytes(bytes), seconds,
                Sizes.rate(goodputBitsPerSecond() / 8), hash));
        if (fetchedBytes < bytes) {
            b.append(String.format(Locale.ROOT, "  resumed: %s were already verified on disk%n",
                    Sizes.bytes(bytes - fetchedBytes)));
        }
        for (Provider p : providers) {
            b.append(String.format(Locale.ROOT, "  from %s: %s (%s)%n", p.node(), Sizes.bytes(p.bytes()),
                    p.status()));
        }
        int shown = Math.min(paths.size(), 10);
        for (int i = 0; i < shown; i++) {
            b.append("  -> ").append(paths.get(i)).append(System.lineSeparator());
        }
        if (paths.size() > shown) {
            b.append("  ... and ").append(paths.size() - shown).append(" more").append(System.lineSeparator());
        }
        return b.toString();
    }

    /** One JSON object on one line (numbers in plain units: bytes, seconds, bit/s). */
    public String json() {
        StringBuilder b = new StringBuilder("{\"ok\":true");
        b.append(",\"bytes\":").append(bytes);
        b.append(",\"fetched_bytes\":").append(fetchedBytes);
        b.append(",\"seconds\":").append(String.format(Locale.ROOT, "%.6f", seconds));
        b.append(",\"goodput_bps\":").append(String.format(Locale.ROOT, "%.0f", goodputBitsPerSecond()));
        b.append(",\"hash\":").append(quote(hash));
        b.append(",\"providers\":[");
        for (int i = 0; i < providers.size(); i++) {
            Provider p = providers.get(i);
            b.append(i == 0 ? "" : ",").append("{\"node\":").append(quote(p.node())).append(",\"bytes\":")
                    .append(p.bytes()).append(",\"status\":").append(quote(p.status())).append('}');
        }
        b.append("],\"paths\":[");
        for (int i = 0; i < paths.size(); i++) {
            b.append(i == 0 ? "" : ",").append(quote(paths.get(i).toString()));
        }
        return b.append("]}").toString();
    }

    /** The JSON printed instead of a summary when {@code recv --json} fails. */
    public static String failureJson(Failure failure) {
        return "{\"ok\":false,\"exit\":" + failure.exitCode() + ",\"error\":" + quote(failure.message())
                + ",\"hint\":" + quote(failure.hint()) + "}";
    }

    /** A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
