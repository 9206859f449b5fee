package dev.quiver.transport.stream;

import java.nio.ByteBuffer;

/**
 * Bytes of a stream addressed by absolute offset, stored in a circular array whose capacity is a power of two.
 * The owner keeps the live span {@code [from, to)} no longer than the capacity; the array starts small and doubles
 * (up to {@code maxCapacity}) only as the span needs it, so thousands of idle streams cost little memory.
 *
 * <p>Thread: owned by the stream's owner (the connection's event loop); not thread-safe.
 */
final class ByteRing {

    private static final int INITIAL_CAPACITY = 4096;

    private final int maxCapacity;
    private byte[] buf;

    /** A ring that may grow to the smallest power of two &gt;= {@code maxBytes}. */
    ByteRing(int maxBytes) {
        if (maxBytes < 1 || maxBytes > (1 << 30)) {
            throw new IllegalArgumentException("ring size must be in [1, 2^30], got " + maxBytes);
        }
        int cap = 1;
        while (cap < maxBytes) {
            cap <<= 1;
        }
        this.maxCapacity = cap;
        this.buf = new byte[Math.min(INITIAL_CAPACITY, maxCapacity)];
    }

    /** Current capacity in bytes. */
    int capacity() {
        return buf.length;
    }

    /**
     * Makes room for the live span {@code [from, to)}, keeping the bytes already stored in {@code [from, keepTo)}.
     * The span must not exceed the maximum capacity (the caller enforces its window first).
     */
    void ensure(long from, long keepTo, long to) {
        long span = to - from;
        if (span <= buf.length) {
            return;
        }
        if (span > maxCapacity) {
            throw new IllegalStateException("span " + span + " exceeds ring maximum " + maxCapacity);
        }
        int cap = buf.length;
        while (cap < span) {
            cap <<= 1;
        }
        byte[] old = buf;
        buf = new byte[cap];
        // Re-place the kept bytes at their offsets' positions in the larger ring.
        for (long o = from; o < keepTo; ) {
            int oi = (int) (o & (old.length - 1));
            int n = (int) Math.min(keepTo - o, old.length - oi);
            copyIn(o, old, oi, n);
            o += n;
        }
        // The old array is left as it is: the session's zero-copy writes may still hold slices of it (see
        // ChunkSink), and bytes handed out must not change until they are acknowledged.
    }

    /** Stores {@code src}'s remaining bytes at {@code offset} (position unchanged). */
    void put(long offset, ByteBuffer src) {
        ByteBuffer s = src.duplicate();
        long o = offset;
        while (s.hasRemaining()) {
            int i = index(o);
            int n = Math.min(s.remaining(), buf.length - i);
            s.get(buf, i, n);
            o += n;
        }
    }

    /** Stores {@code len} bytes of {@code src} from {@code srcOff} at {@code offset}. */
    void copyIn(long offset, byte[] src, int srcOff, int len) {
        long o = offset;
        int done = 0;
        while (done < len) {
            int i = index(o);
            int n = Math.min(len - done, buf.length - i);
            System.arraycopy(src, srcOff + done, buf, i, n);
            o += n;
            done += n;
        }
    }

    /** Copies {@code len} bytes at {@code offset} into {@code dst} from {@code dstOff}. */
    void copyOut(long offset, byte[] dst, int dstOff, int len) {
        long o = offset;
        int done = 0;
        while (done < len) {
            int i = index(o);
            int n = Math.min(len - done, buf.length - i);
            System.arraycopy(buf, i, dst, dstOff + done, n);
            o += n;
            done += n;
        }
    }

    /** The backing array, for zero-copy reads of {@code [index(offset), index(offset) + contiguous(offset))}. */
    byte[] array() {
        return buf;
    }

    /** Array index of {@code offset}. */
    int index(long offset) {
        return (int) (offset & (buf.length - 1));
    }

    /** Bytes from {@code offset} to the end of the array (where a zero-copy read must stop). */
    int contiguous(long offset) {
        return buf.length - index(offset);
    }
}
