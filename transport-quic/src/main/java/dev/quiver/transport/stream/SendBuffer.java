package dev.quiver.transport.stream;

import dev.quiver.codec.frame.AckRanges;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The send side of one logical stream: holds the bytes the application wrote until the peer acknowledges them,
 * hands out chunks to send within the peer's credit, and re-sends ranges lost with a path.
 *
 * <pre>
 *   0        ackFloor             nextSend            creditLimit
 *   |--acked--|--in flight / acked / lost--|--new, sendable--|--new, no credit--|
 *                                                        writeOffset ^   (FIN: virtual byte at writeOffset)
 *             |&lt;----------- buffered = writeOffset - ackFloor &lt;= windowBytes ----------&gt;|
 * </pre>
 *
 * <ul>
 *   <li><b>Memory:</b> at most {@code windowBytes} are buffered; {@link #write} accepts only what fits and
 *       returns the count (0 = blocked). The writable listener runs when acknowledgements free space after a
 *       write was refused or cut short.</li>
 *   <li><b>Credit:</b> new bytes go out only below the peer's {@link #creditLimit()} (raised by MaxStreamData);
 *       re-sends are always allowed, their bytes were within credit when first sent.</li>
 *   <li><b>FIN</b> is a virtual byte at offset {@code finalSize}: it is sent, acknowledged ({@code AckRanges}
 *       ending at {@code finalSize + 1}), lost and re-sent exactly like data, so a lone FIN needs no special
 *       case. {@link #sendableBytes()} counts it as one byte.</li>
 *   <li><b>Loss:</b> the session, which knows which path carried which frame, reports lost ranges with
 *       {@link #onLost}, or everything unacknowledged with {@link #requeueUnacked()} when the only path died.
 *       Lost ranges are sent before new bytes.</li>
 * </ul>
 *
 * <p>Thread: owned by the connection's event loop (application threads hand bytes over through it); not
 * thread-safe.
 */
public final class SendBuffer {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final int windowBytes;
    private final ByteRing ring;
    private final RangeSet acked = new RangeSet();
    private final RangeSet lost = new RangeSet();

    private long writeOffset;
    private long nextSend;
    private long creditLimit;
    private boolean finished;
    private boolean writeRefused;
    private Runnable writableListener = () -> { };

    /**
     * A buffer holding at most {@code windowBytes}; the peer initially allows {@code initialCreditBytes}
     * (its Settings' initial stream credit).
     */
    public SendBuffer(int windowBytes, long initialCreditBytes) {
        if (windowBytes < 1) {
            throw new IllegalArgumentException("windowBytes must be >= 1, got " + windowBytes);
        }
        this.windowBytes = windowBytes;
        this.ring = new ByteRing(windowBytes);
        this.creditLimit = Math.max(0, initialCreditBytes);
    }

    /** Runs {@code listener} whenever space frees up after a write was refused or cut short. */
    public void setWritableListener(Runnable listener) {
        this.writableListener = listener;
    }

    /** Bytes of the array holding unacknowledged bytes now (0 until the first write; it grows with the span). */
    int ringCapacity() {
        return ring.capacity();
    }

    /** Lowest unacknowledged offset: everything below it is acknowledged and freed. */
    public long ackFloor() {
        return acked.contiguousEnd(0);
    }

    /** Bytes held (written, not yet acknowledged): never more than the window. */
    public long bufferedBytes() {
        return writeOffset - Math.min(ackFloor(), writeOffset);
    }

    /** Bytes {@link #write} would accept now. */
    public int writableBytes() {
        return finished ? 0 : (int) (windowBytes - bufferedBytes());
    }

    /** The offset the next written byte gets (total bytes written). */
    public long writeOffset() {
        return writeOffset;
    }

    /** The peer's current credit limit (absolute offset). */
    public long creditLimit() {
        return creditLimit;
    }

    /** Highest offset sent so far plus one (the final size to put in a StreamReset). */
    public long sentOffset() {
        return Math.min(nextSend, writeOffset);
    }

    /** End of everything ever sent, the FIN counting as one byte at the final size (what an ack may cover). */
    public long sendHighWater() {
        return nextSend;
    }

    /**
     * Copies as much of {@code src} as the window allows (advancing its position); returns the count, 0 when the
     * buffer is full (the writable listener will run when it frees up).
     */
    public int write(ByteBuffer src) {
        if (finished) {
            throw new IllegalStateException("write after finish()");
        }
        int n = Math.min(src.remaining(), writableBytes());
        if (n < src.remaining()) {
            writeRefused = true;
        }
        if (n == 0) {
            return 0;
        }
        long floor = Math.min(ackFloor(), writeOffset);
        ring.ensure(floor, writeOffset, writeOffset + n);
        ByteBuffer part = src.slice(src.position(), n);
        ring.put(writeOffset, part);
        src.position(src.position() + n);
        writeOffset += n;
        return n;
    }

    /** Ends the stream after the bytes written so far (FIN). */
    public void finish() {
        finished = true;
    }

    /** Whether {@link #finish()} was called. */
    public boolean isFinished() {
        return finished;
    }

    /** Whether everything, FIN included, is acknowledged: the stream's send side is done. */
    public boolean isComplete() {
        return finished && ackFloor() >= writeOffset + 1;
    }

    /**
     * Bytes that could be sent now: lost ranges plus new bytes within credit, plus one for an unsent FIN. This is
     * what the session reports to the scheduler.
     */
    public long sendableBytes() {
        long n = lost.coveredBytes();
        long dataEnd = Math.min(writeOffset, creditLimit);
        n += Math.max(0, dataEnd - nextSend);
        if (finPending()) {
            n += 1;
        }
        return n;
    }

    /** The end of the written bytes the peer's credit covers: new bytes below it may be sent now. */
    public long sendableEnd() {
        return Math.min(writeOffset, creditLimit);
    }

    /** The FIN is unsent and may go: everything before it is within credit. */
    private boolean finPending() {
        return finished && nextSend <= writeOffset && writeOffset <= creditLimit;
    }

    /** Whether new bytes wait for credit (the peer's reader is behind or its credit updates are late). */
    public boolean isCreditBlocked() {
        return nextSend >= creditLimit && writeOffset > creditLimit;
    }

    /**
     * Emits at most one chunk of at most {@code maxBytes} (at least 1): a lost range first, otherwise new bytes.
     * Returns the bytes consumed, counting a FIN as one; 0 when there is nothing to send.
     */
    public int emit(int maxBytes, ChunkSink sink) {
        if (maxBytes < 1) {
            return 0;
        }
        long start;
        long end;
        boolean resend = !lost.isEmpty();
        if (resend) {
            start = lost.start(0);
            end = Math.min(lost.end(0), start + maxBytes);
        } else {
            start = nextSend;
            long dataEnd = Math.min(writeOffset, creditLimit);
            end = Math.min(Math.max(start, dataEnd), start + maxBytes);
            if (finPending() && end == writeOffset && end - start < maxBytes) {
                end = writeOffset + 1; // the FIN fits in this chunk
            }
            if (end == start) {
                return 0;
            }
        }
        // Never hand out a chunk that wraps around the ring: the sink gets one contiguous view.
        long wrapAt = start + ring.contiguous(start);
        if (Math.min(end, writeOffset) > wrapAt) {
            end = wrapAt;
        }
        boolean fin = finished && end == writeOffset + 1;
        int length = (int) (Math.min(end, writeOffset) - start);
        sink.chunk(start, length == 0 ? EMPTY : ring.view(start, length), fin);
        if (resend) {
            lost.remove(start, end);
        } else {
            nextSend = end;
        }
        return (int) (end - start);
    }

    /** Raises the credit limit (MaxStreamData is absolute; smaller values are stale and ignored). */
    public void onMaxStreamData(long maxOffset) {
        creditLimit = Math.max(creditLimit, maxOffset);
    }

    /**
     * Records acknowledged ranges; frees the acknowledged prefix and forgets those ranges in the lost set.
     * PROTOCOL_VIOLATION when the peer acknowledges bytes never sent.
     */
    public void onAck(List<AckRanges.Range> ranges) throws ProtocolException {
        for (AckRanges.Range r : ranges) {
            if (r.end() > nextSend) {
                throw new ProtocolException(ProtocolError.PROTOCOL_VIOLATION,
                        "ack of [" + r.start() + ", " + r.end() + ") beyond sent offset " + nextSend);
            }
        }
        long before = bufferedBytes();
        for (AckRanges.Range r : ranges) {
            acked.add(r.start(), r.end());
            lost.remove(r.start(), r.end());
        }
        if (writeRefused && bufferedBytes() < before) {
            writeRefused = false;
            writableListener.run();
        }
    }

    /** Whether every offset of {@code [start, end)} is acknowledged (the FIN counts as the offset after the data). */
    public boolean isAcknowledged(long start, long end) {
        return end <= start || acked.contiguousEnd(start) >= end;
    }

    /** Marks {@code [offset, offset + length)} as lost (its path died or timed out): it will be sent again. */
    public void onLost(long offset, long length) {
        long end = Math.min(offset + length, nextSend);
        long start = Math.max(offset, ackFloor());
        if (end <= start) {
            return;
        }
        lost.add(start, end);
        // Acknowledged parts need no re-send.
        for (int i = 0; i < acked.size() && acked.start(i) < end; i++) {
            if (acked.end(i) <= start) {
                continue;
            }
            lost.remove(acked.start(i), acked.end(i));
        }
    }

    /** Marks everything sent and unacknowledged as lost (the only path died; resume on the next). */
    public void requeueUnacked() {
        onLost(ackFloor(), nextSend - ackFloor());
    }
}
