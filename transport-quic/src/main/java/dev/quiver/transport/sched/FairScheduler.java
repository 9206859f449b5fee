package dev.quiver.transport.sched;

import dev.quiver.codec.stream.PriorityClass;

import java.util.Arrays;

/**
 * Decides which logical stream writes next, and how much, whenever a path can take more bytes: weighted deficit
 * round robin counted in bytes (Shreedhar and Varghese, "Efficient Fair Queuing using Deficit Round Robin",
 * SIGCOMM 1995), with strict priority between {@link PriorityClass}es.
 *
 * <ul>
 *   <li>Classes: CONTROL is served before INTERACTIVE before BULK. A lower class gets bytes only when no stream of a
 *       higher class has any to send. (So a higher class can starve a lower one; that is the point for control and
 *       interactive traffic, which is why those classes must stay small.)</li>
 *   <li>Within a class, backlogged streams take turns in FIFO order. At the start of its turn a stream's deficit
 *       is credited with {@code quantumBytes * weight}; it is granted up to its deficit, its sendable bytes and
 *       the path's budget. A turn ends when the deficit is spent (the stream goes to the tail) or the stream has no
 *       more to send (it leaves the round and loses its deficit, as in classic DRR). A turn cut short by the
 *       budget continues on the next call, so byte shares are exact whatever the packet sizes.</li>
 *   <li>Only streams with sendable bytes are in a round, so a decision is O(1) and allocation-free: all state lives
 *       in arrays indexed by handle; arrays grow only in {@link #register}.</li>
 * </ul>
 *
 * <p>The clock is read only when a stream becomes backlogged and when it is next served, to measure how long ready
 * streams wait for their first byte per class ({@link #maxReadyWaitNs}); that wait is the scheduler's share of
 * interactive latency under load.
 *
 * <p>Thread: owned by the connection's event loop; not thread-safe. Other threads reach it through
 * {@code eventLoop().execute(...)}.
 */
public final class FairScheduler {

    /** Returned by {@link #next} when no stream has bytes to send (or the budget is zero). */
    public static final long NONE = -1L;
    /** Largest weight; matches {@code StreamOpen.MAX_WEIGHT}. */
    public static final int MAX_WEIGHT = 256;
    /** Default quantum: 16 KiB per unit of weight per round. */
    public static final int DEFAULT_QUANTUM_BYTES = 16 << 10;

    private static final int NIL = -1;
    private static final int CLASSES = PriorityClass.values().length;
    /**
     * Handles a new scheduler has room for before its arrays double: most sessions hold a stream or two (a relay's
     * idle reservation exactly one), and a relay keeps a scheduler per reservation, so sixteen slots in eleven
     * arrays cost it about 1 KiB each for nothing.
     */
    static final int INITIAL_HANDLES = 2;

    private final NanoClock clock;
    private final int quantumBytes;

    // Per-handle state (structure of arrays: no object per stream, nothing allocated per decision).
    private int[] weight = new int[INITIAL_HANDLES];
    private int[] klass = new int[INITIAL_HANDLES];
    private long[] deficit = new long[INITIAL_HANDLES];
    private long[] sendable = new long[INITIAL_HANDLES];
    private long[] granted = new long[INITIAL_HANDLES];
    private long[] readySinceNs = new long[INITIAL_HANDLES];
    private int[] next = new int[INITIAL_HANDLES];
    private int[] prev = new int[INITIAL_HANDLES];
    private boolean[] active = new boolean[INITIAL_HANDLES];
    private boolean[] inUse = new boolean[INITIAL_HANDLES];
    private boolean[] awaitingFirstGrant = new boolean[INITIAL_HANDLES];
    private int capacity;
    private int freeHead = NIL;

    // Per-class round lists (doubly linked through next/prev) and wait statistics.
    private final int[] head = new int[CLASSES];
    private final int[] tail = new int[CLASSES];
    private final long[] maxReadyWaitNs = new long[CLASSES];

    /** A scheduler with {@link #DEFAULT_QUANTUM_BYTES}. */
    public FairScheduler(NanoClock clock) {
        this(clock, DEFAULT_QUANTUM_BYTES);
    }

    /**
     * A scheduler whose streams get {@code quantumBytes * weight} bytes per round. The quantum should be at least one
     * path packet so a stream of weight 1 can send a full packet per round.
     */
    public FairScheduler(NanoClock clock, int quantumBytes) {
        if (quantumBytes < 1) {
            throw new IllegalArgumentException("quantumBytes must be >= 1, got " + quantumBytes);
        }
        this.clock = clock;
        this.quantumBytes = quantumBytes;
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** Adds a stream with no sendable bytes; returns its handle (reused after {@link #unregister}). */
    public int register(PriorityClass priority, int weight) {
        checkWeight(weight);
        int h;
        if (freeHead != NIL) {
            h = freeHead;
            freeHead = next[h];
        } else {
            if (capacity == this.weight.length) {
                grow();
            }
            h = capacity++;
        }
        inUse[h] = true;
        this.weight[h] = weight;
        klass[h] = priority.ordinal();
        deficit[h] = 0;
        sendable[h] = 0;
        granted[h] = 0;
        active[h] = false;
        awaitingFirstGrant[h] = false;
        next[h] = NIL;
        prev[h] = NIL;
        return h;
    }

    /** Removes a stream; its handle may be returned by a later {@link #register}. */
    public void unregister(int handle) {
        checkHandle(handle);
        if (active[handle]) {
            unlink(handle);
        }
        inUse[handle] = false;
        next[handle] = freeHead;
        freeHead = handle;
    }

    /** Changes a stream's weight; takes effect at its next turn. */
    public void setWeight(int handle, int weight) {
        checkHandle(handle);
        checkWeight(weight);
        this.weight[handle] = weight;
    }

    /**
     * Sets how many bytes the stream can write now (buffered and within the peer's credit). Zero takes the stream
     * out of its round and drops its deficit; a positive value puts an idle stream at the tail of its class's round.
     */
    public void setSendable(int handle, long bytes) {
        checkHandle(handle);
        if (bytes < 0) {
            throw new IllegalArgumentException("sendable bytes must be >= 0, got " + bytes);
        }
        sendable[handle] = bytes;
        if (bytes == 0 && active[handle]) {
            unlink(handle);
        } else if (bytes > 0 && !active[handle]) {
            link(handle);
        }
    }

    /** Bytes the stream can still write, as the scheduler counts them. */
    public long sendable(int handle) {
        checkHandle(handle);
        return sendable[handle];
    }

    /** The stream's unspent deficit in its current turn (0 between turns and when idle). */
    public long deficit(int handle) {
        checkHandle(handle);
        return deficit[handle];
    }

    /** All bytes ever granted to the stream. */
    public long grantedBytes(int handle) {
        checkHandle(handle);
        return granted[handle];
    }

    /** The longest a stream of {@code priority} waited from becoming backlogged to its first grant. */
    public long maxReadyWaitNs(PriorityClass priority) {
        return maxReadyWaitNs[priority.ordinal()];
    }

    /** Whether any stream has bytes to send. */
    public boolean hasWork() {
        for (int c = 0; c < CLASSES; c++) {
            if (head[c] != NIL) {
                return true;
            }
        }
        return false;
    }

    /** Whether any stream of {@code priority} has bytes to send. */
    public boolean hasWork(PriorityClass priority) {
        return head[priority.ordinal()] != NIL;
    }

    /**
     * One decision: which stream writes next and how much, given that the path can take {@code budgetBytes} more.
     * Returns {@link #NONE}, or a decision packed as {@code handle << 32 | bytes}; unpack with {@link #handle(long)}
     * and {@link #bytes(long)}. The bytes are taken from the stream's sendable count.
     */
    public long next(int budgetBytes) {
        if (budgetBytes <= 0) {
            return NONE;
        }
        for (int c = 0; c < CLASSES; c++) {
            int h = head[c];
            if (h == NIL) {
                continue;
            }
            if (deficit[h] == 0) {
                deficit[h] = (long) quantumBytes * weight[h];
            }
            int g = (int) Math.min(budgetBytes, Math.min(deficit[h], sendable[h]));
            deficit[h] -= g;
            sendable[h] -= g;
            granted[h] += g;
            if (awaitingFirstGrant[h]) {
                awaitingFirstGrant[h] = false;
                maxReadyWaitNs[c] = Math.max(maxReadyWaitNs[c], clock.nowNs() - readySinceNs[h]);
            }
            if (sendable[h] == 0) {
                unlink(h);
            } else if (deficit[h] == 0) {
                // Turn over: to the tail; its next turn re-credits the quantum.
                detach(h);
                append(h);
            }
            return ((long) h << 32) | g;
        }
        return NONE;
    }

    /**
     * Hands out up to {@code budgetBytes} in decisions to {@code sink}, highest class first; returns the bytes
     * granted (less than the budget only when no stream has more to send). The session calls this whenever a path
     * can take more.
     */
    public int drain(int budgetBytes, GrantSink sink) {
        int left = budgetBytes;
        while (left > 0) {
            long d = next(left);
            if (d == NONE) {
                break;
            }
            sink.grant(handle(d), bytes(d));
            left -= bytes(d);
        }
        return budgetBytes - left;
    }

    /** The stream of a {@link #next} decision. */
    public static int handle(long decision) {
        return (int) (decision >>> 32);
    }

    /** The byte count of a {@link #next} decision. */
    public static int bytes(long decision) {
        return (int) decision;
    }

    /** Idle to backlogged: joins the tail of its class's round. */
    private void link(int h) {
        append(h);
        active[h] = true;
        awaitingFirstGrant[h] = true;
        readySinceNs[h] = clock.nowNs();
    }

    /** Backlogged to idle: leaves the round and loses its deficit (classic DRR). */
    private void unlink(int h) {
        detach(h);
        active[h] = false;
        deficit[h] = 0;
    }

    private void append(int h) {
        int c = klass[h];
        next[h] = NIL;
        prev[h] = tail[c];
        if (tail[c] == NIL) {
            head[c] = h;
        } else {
            next[tail[c]] = h;
        }
        tail[c] = h;
    }

    private void detach(int h) {
        int c = klass[h];
        if (prev[h] == NIL) {
            head[c] = next[h];
        } else {
            next[prev[h]] = next[h];
        }
        if (next[h] == NIL) {
            tail[c] = prev[h];
        } else {
            prev[next[h]] = prev[h];
        }
        next[h] = NIL;
        prev[h] = NIL;
    }

    /** Handles the per-stream arrays have room for now (they double when a register needs more). */
    int handleCapacity() {
        return weight.length;
    }

    private void grow() {
        int n = weight.length * 2;
        weight = Arrays.copyOf(weight, n);
        klass = Arrays.copyOf(klass, n);
        deficit = Arrays.copyOf(deficit, n);
        sendable = Arrays.copyOf(sendable, n);
        granted = Arrays.copyOf(granted, n);
        readySinceNs = Arrays.copyOf(readySinceNs, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        active = Arrays.copyOf(active, n);
        inUse = Arrays.copyOf(inUse, n);
        awaitingFirstGrant = Arrays.copyOf(awaitingFirstGrant, n);
    }

    private void checkHandle(int h) {
        if (h < 0 || h >= capacity || !inUse[h]) {
            throw new IllegalArgumentException("no stream with handle " + h);
        }
    }

    private static void checkWeight(int w) {
        if (w < 1 || w > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be in [1, " + MAX_WEIGHT + "], got " + w);
        }
    }
}
