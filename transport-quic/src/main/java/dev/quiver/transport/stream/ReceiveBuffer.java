package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * The receive side of one logical stream: reassembles StreamData that arrives in any order, duplicated or
 * overlapping (frames striped over several paths, re-sent after a path died), inside a bounded window, and
 * produces the acknowledgements and credit updates the sender needs.
 *
 * <pre>
 *   0          readOffset                          advertisedLimit &lt;= readOffset + window
 *   |---read----|--received, holes, out of order---|  beyond: FLOW_CONTROL error
 * </pre>
 *
 * <ul>
 *   <li><b>Memory:</b> bytes are kept only within {@code [readOffset, advertisedLimit)}, at most
 *       {@code windowBytes}; a frame reaching past the credit we advertised is FLOW_CONTROL (RFC 9000 §4.1
 *       analogue). Ranges are capped too ({@code maxRanges}), so a peer cannot fragment us into a huge range
 *       list.</li>
 *   <li><b>No copy on arrival:</b> the bytes stay in the network's buffers (retained slices in a
 *       {@link SegmentQueue}); {@link #poll} hands them to the reader, which copies each byte once. Every slice
 *       is released exactly once: by whoever {@link #poll} gave it to, or here on reset and
 *       {@link #discard()}.</li>
 *   <li><b>Credit:</b> as the application reads, {@link #pollCreditUpdate()} raises the limit to
 *       {@code readOffset + window} once at least half a window has been consumed since the last update, so a
 *       slow reader slows the sender and a fast one never stalls it.</li>
 *   <li><b>Acks:</b> {@link #pollAck(int)} returns the received ranges (the FIN as a virtual byte at the final
 *       size, as {@link SendBuffer} expects) when new data arrived since the last ack.</li>
 *   <li><b>Final size:</b> fixed by the first FIN or reset; data past it, or a different final size, is
 *       FINAL_SIZE (RFC 9000 §4.5 analogue).</li>
 * </ul>
 *
 * <p>The initial credit is {@code windowBytes}: the session advertises it as {@code Settings} initial stream
 * credit. Thread: owned by the connection's event loop; not thread-safe.
 */
public final class ReceiveBuffer {
    /** Held slices past {@code windowBytes / this} are compacted (copied into runs). */
    private static final int MIN_AVERAGE_SEGMENT_BYTES = 4096;
    /** Held slices may keep this many windows of network buffers alive (plus the slack) before they are copied. */
    private static final int MAX_PIN_FACTOR = 4;
    private static final int MAX_PIN_SLACK_BYTES = 1 << 20;

    private final StreamId id;
    private final int windowBytes;
    private final int maxRanges;
    private final SegmentQueue held;
    private final RangeSet received = new RangeSet();

    private long readOffset;
    private long advertisedLimit;
    private long highestReceived;
    private long finalSize = -1;
    private boolean ackPending;
    private boolean reset;
    private boolean discarded;

    /** A receive side for {@code id} with a window of {@code windowBytes} and at most {@code maxRanges} holes. */
    public ReceiveBuffer(StreamId id, int windowBytes, int maxRanges) {
        if (windowBytes < 1 || maxRanges < 2) {
            throw new IllegalArgumentException("need windowBytes >= 1 and maxRanges >= 2, got "
                    + windowBytes + ", " + maxRanges);
        }
        this.id = id;
        this.windowBytes = windowBytes;
        this.maxRanges = maxRanges;
        // Slices of 4 KiB on average fill the window before a compaction; halving after one needs twice the runs.
        // A frame usually spans two read buffers, so full-size slices already charge about twice their bytes.
        this.held = new SegmentQueue(Math.max(2 * (maxRanges + 1), windowBytes / MIN_AVERAGE_SEGMENT_BYTES),
                (long) MAX_PIN_FACTOR * windowBytes + MAX_PIN_SLACK_BYTES);
        this.advertisedLimit = windowBytes;
    }

    /** The logical stream. */
    public StreamId id() {
        return id;
    }

    /** Bytes the application has read. */
    public long readOffset() {
        return readOffset;
    }

    /** The credit limit we have granted the sender (absolute offset). */
    public long advertisedLimit() {
        return advertisedLimit;
    }

    /** The final size once known, else -1. */
    public long finalSize() {
        return finalSize;
    }

    /** Bytes received and held for the reader (not yet read), holes excluded: never more than the window. */
    public long bufferedBytes() {
        long covered = received.coveredBytes() - readOffset;
        return finalSize >= 0 && received.contains(finalSize) ? covered - 1 : covered;
    }

    /** Memory the held bytes keep alive, estimated by the capacities of the network buffers they are slices of. */
    public long pinnedBytes() {
        return held.pinnedBytes();
    }

    /** Bytes readable in order now (none once reset or discarded). */
    public long readableBytes() {
        if (reset || discarded) {
            return 0;
        }
        long end = received.contiguousEnd(readOffset);
        if (finalSize >= 0) {
            end = Math.min(end, finalSize);
        }
        return end - readOffset;
    }

    /** Whether the reader has consumed everything up to the FIN. */
    public boolean isFinished() {
        return finalSize >= 0 && readOffset == finalSize;
    }

    /** Whether the sender reset the stream. */
    public boolean isReset() {
        return reset;
    }

    /**
     * Takes one StreamData whose payload is {@code src[index, index + length)}. Bytes below the read offset and bytes
     * already held are ignored (duplicates and overlaps from re-sends); new bytes are kept as retained slices of
     * {@code src}, whose own reference stays the caller's. FLOW_CONTROL past the advertised credit, FINAL_SIZE on
     * final size violations, PROTOCOL_VIOLATION when the holes exceed {@code maxRanges}.
     */
    public void onData(long offset, ByteBuf src, int index, int length, boolean fin) throws ProtocolException {
        long end = offset + length;
        checkFinalSize(end, fin);
        if (end > advertisedLimit) {
            throw new ProtocolException(ProtocolError.FLOW_CONTROL, id + ": data up to " + end
                    + " beyond granted credit " + advertisedLimit);
        }
        ackPending = true;
        if (reset) {
            return;
        }
        long from = Math.max(offset, readOffset);
        if (from < end) {
            if (!discarded) {
                holdNew(from, end, src, index + (int) (from - offset));
            }
            received.add(from, end);
            highestReceived = Math.max(highestReceived, end);
        }
        if (fin) {
            received.add(finalSize, finalSize + 1);
        }
        if (received.size() > maxRanges) {
            throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION, id + ": reassembly has "
                    + received.size() + " ranges, more than " + maxRanges);
        }
    }

    /**
     * As {@link #onData(long, ByteBuf, int, int, boolean)} for a whole buffer; its bytes are kept, not copied, so
     * it must not change until read.
     */
    public void onData(long offset, ByteBuffer payload, boolean fin) throws ProtocolException {
        ByteBuf src = Unpooled.wrappedBuffer(payload);
        try {
            onData(offset, src, 0, src.readableBytes(), fin);
        } finally {
            src.release();
        }
    }

    /** Holds the parts of {@code [from, end)} not held yet ({@code src} starts at {@code srcIndex} = {@code from}). */
    private void holdNew(long from, long end, ByteBuf src, int srcIndex) {
        long at = from;
        while (at < end) {
            long gapStart = received.contiguousEnd(at);
            if (gapStart >= end) {
                return;
            }
            long gapEnd = Math.min(end, received.nextStartAfter(gapStart));
            held.insert(gapStart, src, srcIndex + (int) (gapStart - from), (int) (gapEnd - gapStart));
            at = gapEnd;
        }
    }

    /** The sender reset the stream at {@code finalSize}: buffered bytes are dropped; FINAL_SIZE if inconsistent. */
    public void onReset(long resetFinalSize) throws ProtocolException {
        checkFinalSize(resetFinalSize, true);
        if (resetFinalSize > advertisedLimit) {
            throw new ProtocolException(ProtocolError.FLOW_CONTROL, id + ": reset final size " + resetFinalSize
                    + " beyond granted credit " + advertisedLimit);
        }
        reset = true;
        held.releaseAll();
        received.clear();
        received.add(0, readOffset);
    }

    /**
     * The reader is gone (stopped, or the session closed): releases every held byte and drops those that arrive
     * later, still acknowledging them.
     */
    public void discard() {
        discarded = true;
        held.releaseAll();
    }

    private void checkFinalSize(long end, boolean fin) throws ProtocolException {
        if (finalSize >= 0 && (end > finalSize || (fin && end != finalSize))) {
            throw new ProtocolException(ProtocolError.FINAL_SIZE, id + ": final size " + finalSize
                    + " but frame ends at " + end + (fin ? " with FIN" : ""));
        }
        if (fin && finalSize < 0) {
            if (end < highestReceived) {
                throw new ProtocolException(ProtocolError.FINAL_SIZE, id + ": FIN at " + end
                        + " below bytes already received up to " + highestReceived);
            }
            finalSize = end;
        }
    }

    /**
     * Takes up to {@code maxBytes} (&gt;= 1) in-order bytes as one buffer, or {@code null} when none is ready. The
     * caller owns the buffer (a slice of the network's) and must release it once.
     */
    public ByteBuf poll(int maxBytes) {
        if (readableBytes() == 0) {
            return null;
        }
        ByteBuf b = held.pollFirst(readOffset, maxBytes);
        readOffset += b.readableBytes();
        return b;
    }

    /** Copies in-order bytes into {@code dst}; returns the count, 0 when none is ready, -1 at the end of the stream. */
    public int read(byte[] dst, int off, int len) {
        if (off < 0 || len < 0 || len > dst.length - off) {
            throw new IndexOutOfBoundsException("off " + off + " len " + len + " array " + dst.length);
        }
        int n = 0;
        ByteBuf b;
        while (n < len && (b = poll(len - n)) != null) {
            int k = b.readableBytes();
            b.readBytes(dst, off + n, k);
            b.release();
            n += k;
        }
        if (n == 0) {
            return isFinished() || reset ? -1 : 0;
        }
        return n;
    }

    /**
     * A credit update to send when the reader has consumed at least half a window since the last one, else
     * {@code null}. None once the final size is known (the sender needs no more credit).
     */
    public MaxStreamData pollCreditUpdate() {
        if (finalSize >= 0 || reset) {
            return null;
        }
        long target = readOffset + windowBytes;
        if (target - advertisedLimit < Math.max(1, windowBytes / 2)) {
            return null;
        }
        advertisedLimit = target;
        return new MaxStreamData(id, target);
    }

    /** The received ranges (at most {@code maxFrameRanges}, lowest first) if data arrived since the last ack. */
    public AckRanges pollAck(int maxFrameRanges) {
        if (!ackPending || received.isEmpty()) {
            return null;
        }
        ackPending = false;
        return new AckRanges(id, received.toAckBounds(maxFrameRanges));
    }
}
