package dev.quiver.transport.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Arrays;

/**
 * Received bytes of one stream kept as they arrived: retained slices of the network's buffers, sorted by stream
 * offset and never overlapping (the caller stores only offsets it did not hold yet). The reader then copies each
 * byte once, from the network buffer into its own array, instead of once into a reassembly ring and again out.
 *
 * <p><b>Bounds:</b> the bytes held are bounded by the caller's window. The number of slices is bounded by
 * {@code maxSegments}: past it, every run of contiguous slices is copied into one buffer of our own
 * ({@link #compact}), so a peer sending many tiny frames costs a copy, never an unbounded list. A slice keeps its
 * whole network buffer alive, so each is charged that buffer's capacity; past {@code maxPinnedBytes} of charges
 * (small pieces of big read buffers, a reader that stopped) every pinning slice is copied out too, so memory stays
 * within a small multiple of the window whatever the peer's frame sizes.
 *
 * <p><b>Ownership:</b> every slice held here holds one reference, released exactly once: when a slice is handed to
 * the reader ({@link #pollFirst}, the reader then owns it), when compacted, or by {@link #releaseAll}.
 *
 * <p>Thread: owned by the stream's owner (the connection's event loop); not thread-safe.
 */
final class SegmentQueue {

    private final int maxSegments;
    private final long maxPinnedBytes;
    /** Slots a queue starts with: an idle stream's queue holds a slice or two at a time (a control message). */
    static final int INITIAL_SLOTS = 2;

    private long[] offsets = new long[INITIAL_SLOTS];
    private ByteBuf[] bufs = new ByteBuf[INITIAL_SLOTS];
    /** Memory each slice keeps alive: its source buffer's capacity, or its own length once copied. */
    private int[] pins = new int[INITIAL_SLOTS];
    private long pinnedBytes;
    /** Live entries are {@code [head, head + size)}; removal at the head is O(1). */
    private int head;
    private int size;
    private long heldBytes;

    /**
     * A queue that compacts once it holds more than {@code maxSegments} slices (at least 2) or its slices keep more
     * than {@code maxPinnedBytes} of network buffers alive.
     */
    SegmentQueue(int maxSegments, long maxPinnedBytes) {
        if (maxSegments < 2 || maxPinnedBytes < 1) {
            throw new IllegalArgumentException("need maxSegments >= 2 and maxPinnedBytes >= 1, got "
                    + maxSegments + ", " + maxPinnedBytes);
        }
        this.maxSegments = maxSegments;
        this.maxPinnedBytes = maxPinnedBytes;
    }

    /** Memory the held slices keep alive (estimated by their source buffers' capacities). */
    long pinnedBytes() {
        return pinnedBytes;
    }

    /** Slices the arrays have room for now (they double as slices arrive faster than they are read). */
    int slotCapacity() {
        return offsets.length;
    }

    /** Number of slices held. */
    int segments() {
        return size;
    }

    /** Bytes held. */
    long heldBytes() {
        return heldBytes;
    }

    /** Offset of the first byte held, or -1 when empty. */
    long firstOffset() {
        return size == 0 ? -1 : offsets[head];
    }

    /**
     * Keeps {@code src[index, index + length)} (length &gt;= 1) as the bytes at {@code offset}, retaining a slice;
     * the caller keeps its own reference. The range must not overlap bytes already held.
     */
    void insert(long offset, ByteBuf src, int index, int length) {
        int at = insertionPoint(offset);
        makeRoom(at);
        offsets[head + at] = offset;
        bufs[head + at] = src.retainedSlice(index, length);
        int pin = Math.max(length, src.capacity());
        pins[head + at] = pin;
        size++;
        heldBytes += length;
        pinnedBytes += pin;
        if (size > maxSegments || pinnedBytes > maxPinnedBytes) {
            compact(src.alloc(), pinnedBytes > maxPinnedBytes);
        }
    }

    /**
     * Removes up to {@code maxBytes} (&gt;= 1) from the front if they start at {@code offset}; the caller owns the
     * returned buffer (release it once). {@code null} when the first slice does not start at {@code offset}.
     */
    ByteBuf pollFirst(long offset, int maxBytes) {
        if (size == 0 || offsets[head] != offset) {
            return null;
        }
        ByteBuf first = bufs[head];
        int n = first.readableBytes();
        if (n > maxBytes) {
            offsets[head] += maxBytes;
            heldBytes -= maxBytes;
            return first.readRetainedSlice(maxBytes);
        }
        pinnedBytes -= pins[head];
        bufs[head] = null;
        head++;
        size--;
        if (size == 0) {
            head = 0;
        }
        heldBytes -= n;
        return first;
    }

    /** Releases every slice held (reset, stop, close); the queue is empty afterwards. */
    void releaseAll() {
        for (int i = head; i < head + size; i++) {
            bufs[i].release();
            bufs[i] = null;
        }
        head = 0;
        size = 0;
        heldBytes = 0;
        pinnedBytes = 0;
    }

    /** Index (relative to head) where a slice starting at {@code offset} goes; the end in the in-order case. */
    private int insertionPoint(long offset) {
        if (size == 0 || offsets[head + size - 1] < offset) {
            return size;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (offsets[head + mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Opens a free slot at relative index {@code at}, moving the live entries to the array's start or growing it. */
    private void makeRoom(int at) {
        if (head + size == offsets.length) {
            if (head > 0) {
                System.arraycopy(offsets, head, offsets, 0, size);
                System.arraycopy(bufs, head, bufs, 0, size);
                System.arraycopy(pins, head, pins, 0, size);
                Arrays.fill(bufs, size, head + size, null);
                head = 0;
            } else {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                bufs = Arrays.copyOf(bufs, bufs.length * 2);
                pins = Arrays.copyOf(pins, pins.length * 2);
            }
        }
        int from = head + at;
        System.arraycopy(offsets, from, offsets, from + 1, size - at);
        System.arraycopy(bufs, from, bufs, from + 1, size - at);
        System.arraycopy(pins, from, pins, from + 1, size - at);
    }

    /**
     * Copies every run of two or more contiguous slices (and with {@code unpin} every slice pinning more than its
     * own bytes) into one buffer from {@code alloc} and releases the slices. Held bytes form at most (holes + 1)
     * runs, so this always brings the count down to the reassembly's range cap, and the pins down to the bytes.
     */
    private void compact(ByteBufAllocator alloc, boolean unpin) {
        int out = head;
        int i = head;
        int end = head + size;
        while (i < end) {
            int j = i + 1;
            long runEnd = offsets[i] + bufs[i].readableBytes();
            while (j < end && offsets[j] == runEnd) {
                runEnd += bufs[j].readableBytes();
                j++;
            }
            long runStart = offsets[i];
            int runBytes = (int) (runEnd - runStart);
            ByteBuf merged = bufs[i];
            int pin = pins[i];
            if (j - i > 1 || (unpin && pins[i] > runBytes)) {
                merged = alloc.buffer(runBytes);
                for (int k = i; k < j; k++) {
                    merged.writeBytes(bufs[k]);
                    bufs[k].release();
                    pinnedBytes -= pins[k];
                }
                pin = runBytes;
                pinnedBytes += pin;
            }
            offsets[out] = runStart;
            bufs[out] = merged;
            pins[out] = pin;
            out++;
            i = j;
        }
        Arrays.fill(bufs, out, end, null);
        size = out - head;
    }
}
