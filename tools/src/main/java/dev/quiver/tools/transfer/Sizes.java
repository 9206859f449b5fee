package dev.quiver.tools.transfer;

import java.util.Locale;

/** Human-readable byte counts, rates and durations for the CLI's output (binary units for sizes, SI for rates). */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    /** {@code 1536} → {@code "1.50 KiB"}; bytes below 1 KiB print as a whole number. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, UNITS[unit]);
    }

    /** A rate in bytes per second as bits per second: {@code "2.93 Gbit/s"}, {@code "850 Mbit/s"}. */
    public static String rate(double bytesPerSecond) {
        double bits = bytesPerSecond * 8;
        if (bits >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bits / 1e9);
        }
        if (bits >= 1e6) {
            return String.format(Locale.ROOT, "%.0f Mbit/s", bits / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f kbit/s", bits / 1e3);
    }

    /** Whole seconds as {@code "42 s"}, {@code "3:07"} or {@code "1:02:03"}. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
