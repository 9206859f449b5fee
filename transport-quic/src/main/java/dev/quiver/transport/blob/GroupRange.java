package dev.quiver.transport.blob;

/**
 * A run of chunk groups {@code [start, start + count)}.
 *
 * @param start the first group
 * @param count how many groups, at least 1
 */
public record GroupRange(long start, long count) {

    /** Checks the bounds. */
    public GroupRange {
        if (start < 0 || count < 1) {
            throw new IllegalArgumentException("bad group range: start " + start + ", count " + count);
        }
    }

    /** One past the last group. */
    public long end() {
        return start + count;
    }
}
