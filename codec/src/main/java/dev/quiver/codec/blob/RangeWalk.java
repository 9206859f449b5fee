package dev.quiver.codec.blob;

/**
 * The pre-order walk over the tree nodes a range response carries: every parent whose subtree holds a wanted
 * group, each followed by its wanted subtrees (left first), down to the wanted groups. Encoder and decoder walk
 * the same nodes in the same order, so the response needs no tags. The tree's shape is BLAKE3's (paper, section
 * 2.1): a node over {@code n > 1} groups has a left subtree of the largest power of two below {@code n}; its
 * pre-order index is its parent's plus 1 (left) or plus the left subtree's group count (right), as in
 * {@link dev.quiver.codec.blake3.Blake3Tree}'s outboard.
 *
 * <p>Wanted groups are {@code [start, end)} and, with {@code withLast}, the last group. Each node carries the
 * 32-byte chaining value it must hash to (the decoder's expectation; the encoder ignores it). Not thread-safe.
 */
final class RangeWalk {

    /** Deeper than any tree of at most 2^40 single-chunk groups can be, plus the sibling pushed beside each level. */
    private static final int MAX_STACK = 2 * 64;
    private static final int CV = 32;

    private final long groupCount;
    private final long start;
    private final long end;
    private final boolean withLast;
    private final long[] los = new long[MAX_STACK];
    private final long[] ns = new long[MAX_STACK];
    private final long[] pres = new long[MAX_STACK];
    private final byte[] cvs = new byte[MAX_STACK * CV];
    private int top;

    private long lo;
    private long n;
    private long pre;
    private final byte[] cv = new byte[CV];

    RangeWalk(long groupCount, long start, long end, boolean withLast, byte[] rootCv) {
        this.groupCount = groupCount;
        this.start = start;
        this.end = end;
        this.withLast = withLast;
        push(0, groupCount, 0, rootCv, 0);
    }

    boolean hasNext() {
        return top > 0;
    }

    /** Moves to the next node: {@link #isGroup()}, {@link #lo()} and so on describe it afterwards. */
    void next() {
        top--;
        lo = los[top];
        n = ns[top];
        pre = pres[top];
        System.arraycopy(cvs, top * CV, cv, 0, CV);
    }

    boolean isGroup() {
        return n == 1;
    }

    boolean isRoot() {
        return n == groupCount;
    }

    /** The current node's first group (the group itself for a group). */
    long lo() {
        return lo;
    }

    /** The current parent's pre-order index in the outboard. */
    long preorderIndex() {
        return pre;
    }

    /** The chaining value the current node must hash to (the root hash for the root). */
    byte[] expectedCv() {
        return cv;
    }

    /** The first wanted group under the current node: where a failure at this node is reported. */
    long firstWanted() {
        if (lo < end && lo + n > start) {
            return Math.max(lo, start);
        }
        return groupCount - 1;
    }

    /** After a parent: queues its wanted children, whose chaining values are {@code entry[off, off + 64)}. */
    void descend(byte[] entry, int off) {
        long left = Long.highestOneBit(n - 1);
        if (wanted(lo + left, n - left)) {
            push(lo + left, n - left, pre + left, entry, off + CV);
        }
        if (wanted(lo, left)) {
            push(lo, left, pre + 1, entry, off);
        }
    }

    private boolean wanted(long first, long count) {
        return (first < end && first + count > start) || (withLast && first + count == groupCount);
    }

    private void push(long first, long count, long index, byte[] cvSrc, int cvOff) {
        los[top] = first;
        ns[top] = count;
        pres[top] = index;
        System.arraycopy(cvSrc, cvOff, cvs, top * CV, CV);
        top++;
    }
}
