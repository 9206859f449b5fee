package dev.quiver.codec.stream;

/**
 * Scheduling class of a logical stream. The fair scheduler serves classes in strict priority (a lower
 * {@link #ordinal()} first) and streams within a class by weighted deficit round robin. The wire code is sent in
 * {@code StreamOpen}.
 */
public enum PriorityClass {
    /** Session control: acks, credit, pings. Always first, and small. */
    CONTROL,
    /** Latency-sensitive messages (requests, small RPCs, chat). */
    INTERACTIVE,
    /** Throughput traffic (blobs, relayed bytes): takes what is left. */
    BULK;

    private static final PriorityClass[] VALUES = values();

    /** The one-byte wire code (the ordinal). */
    public int code() {
        return ordinal();
    }

    /** The class with wire code {@code code}, or {@code null} if there is none. */
    public static PriorityClass fromCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
