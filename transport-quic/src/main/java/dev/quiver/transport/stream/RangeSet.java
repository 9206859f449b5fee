package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;

import java.util.Arrays;

/**
 * A set of stream offsets kept as sorted, disjoint, non-adjacent half-open ranges {@code [start, end)}. Adjacent
 * and overlapping ranges merge on insert, so a stream received in order is one range whatever its length.
 * Backed by two growable {@code long} arrays; a lookup is a binary search, an insert or removal moves at most the
 * ranges after it.
 *
 * <p>Thread: owned by the stream's owner (the connection's event loop); not thread-safe.
 */
public final class RangeSet {

    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int size;

    /** Number of disjoint ranges. */
    public int size() {
        return size;
    }

    /** Whether the set is empty. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Start of range {@code i} (ascending order). */
    public long start(int i) {
        checkIndex(i);
        return starts[i];
    }

    /** End (exclusive) of range {@code i}. */
    public long end(int i) {
        checkIndex(i);
        return ends[i];
    }

    /** Whether {@code offset} is in the set. */
    public boolean contains(long offset) {
        int i = firstEndingAfter(offset);
        return i < size && starts[i] <= offset;
    }

    /**
     * The end of the run of contiguous offsets in the set that starts at or covers {@code offset}; {@code offset}
     * itself when {@code offset} is not in the set.
     */
    public long contiguousEnd(long offset) {
        int i = firstEndingAfter(offset);
        return i < size && starts[i] <= offset ? ends[i] : offset;
    }

    /** Start of the first range that starts after {@code offset}; {@link Long#MAX_VALUE} if none. */
    public long nextStartAfter(long offset) {
        int i = firstEndingAfter(offset);
        if (i < size && starts[i] <= offset) {
            i++;
        }
        return i < size ? starts[i] : Long.MAX_VALUE;
    }

    /** Total offsets covered. */
    public long coveredBytes() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += ends[i] - starts[i];
        }
        return n;
    }

    /** Adds {@code [start, end)}; returns how many offsets were not in the set before. */
    public long add(long start, long end) {
        checkRange(start, end);
        if (start == end) {
            return 0;
        }
        // First range that touches or follows [start, end): its end >= start.
        int lo = firstEndingAtOrAfter(start);
        // Ranges lo..hi-1 touch or overlap [start, end) and merge with it.
        int hi = lo;
        long covered = 0;
        while (hi < size && starts[hi] <= end) {
            covered += Math.min(ends[hi], end) - Math.max(starts[hi], start);
            hi++;
        }
        long added = (end - start) - Math.max(0, covered);
        if (lo == hi) {
            insertAt(lo, start, end);
        } else {
            long newStart = Math.min(start, starts[lo]);
            long newEnd = Math.max(end, ends[hi - 1]);
            starts[lo] = newStart;
            ends[lo] = newEnd;
            deleteRange(lo + 1, hi);
        }
        return added;
    }

    /** Removes {@code [start, end)}; returns how many offsets were in the set. */
    public long remove(long start, long end) {
        checkRange(start, end);
        if (start == end) {
            return 0; // an empty removal must not split a range into two touching halves
        }
        long removed = 0;
        int i = firstEndingAfter(start);
        while (i < size && starts[i] < end) {
            long s = starts[i];
            long e = ends[i];
            removed += Math.min(e, end) - Math.max(s, start);
            if (s < start && e > end) {
                // Split one range in two.
                ends[i] = start;
                insertAt(i + 1, end, e);
                return removed;
            }
            if (s < start) {
                ends[i] = start;
                i++;
            } else if (e > end) {
                starts[i] = end;
                return removed;
            } else {
                deleteRange(i, i + 1);
            }
        }
        return removed;
    }

    /** Removes everything below {@code offset}. */
    public void removeBelow(long offset) {
        if (size > 0 && starts[0] < offset) {
            remove(starts[0], offset);
        }
    }

    /** Removes every range. */
    public void clear() {
        size = 0;
    }

    /**
     * Up to {@code maxRanges} of the lowest ranges as {@code start, end} pairs, the array an {@link AckRanges} owns:
     * one allocation per ack, nothing per range.
     */
    public long[] toAckBounds(int maxRanges) {
        int n = Math.min(size, maxRanges);
        long[] out = new long[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = starts[i];
            out[2 * i + 1] = ends[i];
        }
        return out;
    }

    /** Index of the first range with end &gt; offset (size if none). */
    private int firstEndingAfter(long offset) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first range with end &gt;= offset (size if none). */
    private int firstEndingAtOrAfter(long offset) {
        return firstEndingAfter(offset - 1); // offsets are >= 0, so offset - 1 cannot underflow
    }

    private void insertAt(int i, long start, long end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(ends, i, ends, i + 1, size - i);
        starts[i] = start;
        ends[i] = end;
        size++;
    }

    /** Deletes ranges [from, to). */
    private void deleteRange(int from, int to) {
        System.arraycopy(starts, to, starts, from, size - to);
        System.arraycopy(ends, to, ends, from, size - to);
        size -= to - from;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("range " + i + " of " + size);
        }
    }

    private static void checkRange(long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
