package dev.quiver.transport.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Arrays;

/**
 * The bytes a {@link SendBuffer} holds, as the buffers they arrived in: each segment is one buffer holding stream
 * offsets {@code [start, start + writerIndex)} at its indices {@code [0, writerIndex)}, the segments contiguous and
 * in offset order. Big writes are adopted as they are (a retained slice, no copy), so a byte the application wrote
 * is copied once more only by quiche; small writes are copied into a tail buffer of our own so that they do not
 * make one segment each. Nothing is ever written below a segment's writer index, so a slice handed to the
 * transport stays valid (and unchanged) for as long as it holds its reference.
 *
 * <p><b>Ownership:</b> every segment holds one reference, released when the bytes below it are acknowledged
 * ({@link #releaseBelow}) or by {@link #releaseAll}.
 *
 * <p>Thread: owned by the stream's owner (the connection's event loop); not thread-safe.
 */
final class SendSegments {
    /** Writes at least this big are adopted; smaller ones are copied into a tail buffer. */
    static final int ADOPT_MIN_BYTES = 16 << 10;
    /**
     * Tail buffers start small (thousands of streams with one short message each must not hold 64 KiB apiece) and
     * double with every new one up to the largest frame payload, so a stream of many small writes still makes
     * full-size frames.
     */
    private static final int FIRST_TAIL_BYTES = 4 << 10;
    private static final int MAX_TAIL_BYTES = 64 << 10;

    private final ByteBufAllocator alloc;
    private long[] starts = new long[8];
    private ByteBuf[] bufs = new ByteBuf[8];
    /** Whether the segment is a tail buffer of ours (more small writes may be appended to the last one). */
    private boolean[] owned = new boolean[8];
    /** Live segments are {@code [head, tail)}. */
    private int head;
    private int tail;
    private long end;
    private int nextTailBytes = FIRST_TAIL_BYTES;

    SendSegments(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Appends {@code n} readable bytes of {@code src} (advancing its reader index) at the end offset. */
    void append(ByteBuf src, int n) {
        if (n >= ADOPT_MIN_BYTES) {
            add(src.readRetainedSlice(n), false);
            end += n;
        } else {
            int left = n;
            while (left > 0) {
                ByteBuf last = tail > head && owned[tail - 1] ? bufs[tail - 1] : null;
                if (last == null || !last.isWritable()) {
                    last = alloc.directBuffer(nextTailBytes, nextTailBytes);
                    nextTailBytes = Math.min(MAX_TAIL_BYTES, nextTailBytes * 2);
                    add(last, true);
                }
                int k = Math.min(left, last.writableBytes());
                last.writeBytes(src, k);
                left -= k;
                end += k;
            }
        }
    }

    private void add(ByteBuf buf, boolean ownBuffer) {
        if (tail == starts.length) {
            if (head > 0) {
                int live = tail - head;
                System.arraycopy(starts, head, starts, 0, live);
                System.arraycopy(bufs, head, bufs, 0, live);
                System.arraycopy(owned, head, owned, 0, live);
                Arrays.fill(bufs, live, tail, null);
                head = 0;
                tail = live;
            }
            if (tail == starts.length) {
                starts = Arrays.copyOf(starts, tail * 2);
                bufs = Arrays.copyOf(bufs, tail * 2);
                owned = Arrays.copyOf(owned, tail * 2);
            }
        }
        starts[tail] = end;
        bufs[tail] = buf;
        owned[tail] = ownBuffer;
        tail++;
    }

    /** Index of the segment holding {@code offset} (which must be held), for {@link #buffer} and {@link #start}. */
    int find(long offset) {
        int lo = head;
        int hi = tail - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The buffer of segment {@code i}: stream offsets from {@link #start} at indices {@code [0, writerIndex)}. */
    ByteBuf buffer(int i) {
        return bufs[i];
    }

    /** The stream offset of segment {@code i}'s first byte. */
    long start(int i) {
        return starts[i];
    }

    /** Releases every segment wholly below {@code floor} (acknowledged). */
    void releaseBelow(long floor) {
        while (head < tail && starts[head] + bufs[head].writerIndex() <= floor) {
            bufs[head].release();
            bufs[head] = null;
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** Releases every segment (the stream is gone). */
    void releaseAll() {
        for (int i = head; i < tail; i++) {
            bufs[i].release();
            bufs[i] = null;
        }
        head = 0;
        tail = 0;
    }
}
