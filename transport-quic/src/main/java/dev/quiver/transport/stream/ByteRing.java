package dev.quiver.transport.stream;

import java.nio.ByteBuffer;

/**
 * Bytes of a stream addressed by absolute offset, stored in a circular direct buffer whose capacity is a power of
 * two. Direct, because quiche reads direct memory only: a chunk leaves as a view of the ring (no copy), and its
 * memory stays alive while any view of it does (the JDK frees a direct buffer when it is unreachable).
 * The owner keeps the live span {@code [from, to)} no longer than the capacity. A new ring holds no array at all:
 * the first {@link #ensure} allocates just what the span needs (at least {@value #MIN_CAPACITY} bytes) and later
 * ones double it (up to {@code maxCapacity}), so a stream that never sends costs nothing here and one that sends a
 * few small messages (a relay's reservation stream: PONGs of 14 bytes) costs {@value #MIN_CAPACITY} bytes, not the
 * 4 KiB every ring once started with (a relay holding 1 000 idle reservations kept 4 MiB of such rings).
 *
 * <p>Thread: owned by the stream's owner (the connection's event loop); not thread-safe.
 */
final class ByteRing {

    /** The smallest array a ring allocates (a few control messages fit without growing). */
    static final int MIN_CAPACITY = 64;
    private static final ByteBuffer NONE = ByteBuffer.allocateDirect(0);

    private final int maxCapacity;
    private ByteBuffer buf = NONE;
    /** {@code buf.capacity() - 1}, or 0 while there is no array (so {@link #index} is 0 and nothing is contiguous). */
    private int mask;

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
    }

    /** Current capacity in bytes (0 until the first {@link #ensure} that needs room). */
    int capacity() {
        return buf.capacity();
    }

    /**
     * Makes room for the live span {@code [from, to)}, keeping the bytes already stored in {@code [from, keepTo)}.
     * The span must not exceed the maximum capacity (the caller enforces its window first).
     */
    void ensure(long from, long keepTo, long to) {
        long span = to - from;
        if (span <= buf.capacity()) {
            return;
        }
        if (span > maxCapacity) {
            throw new IllegalStateException("span " + span + " exceeds ring maximum " + maxCapacity);
        }
        int cap = Math.max(buf.capacity(), Math.min(MIN_CAPACITY, maxCapacity));
        while (cap < span) {
            cap <<= 1;
        }
        ByteBuffer old = buf;
        buf = ByteBuffer.allocateDirect(cap);
        mask = cap - 1;
        // Re-place the kept bytes at their offsets' positions in the larger ring.
        for (long o = from; o < keepTo; ) {
            int oi = (int) (o & (old.capacity() - 1));
            int n = (int) Math.min(keepTo - o, old.capacity() - oi);
            put(o, old.slice(oi, n));
            o += n;
        }
        // The old buffer is left as it is: views of it handed out by view() may still be on their way to quiche,
        // and bytes handed out must not change until they are acknowledged.
    }

    /** Stores {@code src}'s remaining bytes at {@code offset} (position unchanged). */
    void put(long offset, ByteBuffer src) {
        int at = src.position();
        int left = src.remaining();
        long o = offset;
        while (left > 0) {
            int i = index(o);
            int n = Math.min(left, buf.capacity() - i);
            buf.put(i, src, at, n);
            at += n;
            left -= n;
            o += n;
        }
    }

    /** Copies {@code len} bytes at {@code offset} into {@code dst} from {@code dstOff}. */
    void copyOut(long offset, byte[] dst, int dstOff, int len) {
        long o = offset;
        int done = 0;
        while (done < len) {
            int i = index(o);
            int n = Math.min(len - done, buf.capacity() - i);
            buf.get(i, dst, dstOff + done, n);
            o += n;
            done += n;
        }
    }

    /**
     * A view of {@code [offset, offset + length)}, which must not wrap ({@code length <= contiguous(offset)}): its
     * own position and limit, the ring's memory. The bytes do not change until the owner frees them.
     */
    ByteBuffer view(long offset, int length) {
        return buf.slice(index(offset), length);
    }

    /** Buffer index of {@code offset}. */
    int index(long offset) {
        return (int) (offset & mask);
    }

    /** Bytes from {@code offset} to the end of the buffer (where a view must stop). */
    int contiguous(long offset) {
        return buf.capacity() - index(offset);
    }
}
