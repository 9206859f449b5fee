package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Splices two circuit streams byte for byte: whatever arrives on one is written to the other, without parsing (the
 * bytes are QUIC packets encrypted end to end, which the relay cannot read). A stream's end is passed on as an end;
 * a reset is passed on as a reset with the same code. The byte budget covers both directions.
 *
 * <p>Threads: {@link #run()} copies initiator → target on the caller's thread and target → initiator on a virtual
 * thread; {@link #cut} may be called from any thread.
 */
final class Splice {
    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);
    private static final int CHUNK_BYTES = 64 << 10;

    private final LogicalStream initiator;
    private final LogicalStream target;
    private final NodeId initiatorId;
    private final NodeId targetId;
    private final long maxBytes;
    private final SpliceObserver observer;
    private final LongAdder relayedTotal;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();

    Splice(LogicalStream initiator, NodeId initiatorId, LogicalStream target, NodeId targetId, long maxBytes,
           SpliceObserver observer, LongAdder relayedTotal) {
        this.initiator = initiator;
        this.target = target;
        this.initiatorId = initiatorId;
        this.targetId = targetId;
        this.maxBytes = maxBytes;
        this.observer = observer;
        this.relayedTotal = relayedTotal;
    }

    /** Copies both directions until both have ended (or the circuit was cut). */
    void run() throws InterruptedException {
        Thread back = Thread.ofVirtual().name("quiver-splice-back").start(
                () -> copy(target, targetId, initiator, initiatorId));
        copy(initiator, initiatorId, target, targetId);
        back.join();
    }

    /** Resets both streams with {@code reason}'s reset code; idempotent. */
    void cut(RelayRefusal reason) {
        if (cut.compareAndSet(false, true)) {
            LOG.debug("Cutting circuit {} -> {} after {} bytes: {}", initiatorId.shortString(),
                    targetId.shortString(), bytes.get(), reason);
            initiator.reset(reason.resetCode());
            target.reset(reason.resetCode());
        }
    }

    /** Bytes forwarded so far, both directions. */
    long bytes() {
        return bytes.get();
    }

    private void copy(LogicalStream from, NodeId fromId, LogicalStream to, NodeId toId) {
        byte[] buf = new byte[CHUNK_BYTES];
        InputStream in = from.inputStream();
        OutputStream out = to.outputStream();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (bytes.addAndGet(n) > maxBytes) {
                    cut(RelayRefusal.CIRCUIT_BYTES);
                    return;
                }
                observer.forwarded(fromId, toId, buf, 0, n);
                out.write(buf, 0, n);
                relayedTotal.add(n);
            }
            to.finish();
        } catch (StreamResetException e) {
            if (cut.compareAndSet(false, true)) {
                // Pass the reset on with its code, so the other end learns why (e.g. a circuit limit upstream).
                to.reset(e.errorCode());
                from.reset(e.errorCode());
            }
        } catch (IOException e) {
            if (cut.compareAndSet(false, true)) {
                LOG.debug("Circuit {} -> {} ended: {}", fromId.shortString(), toId.shortString(), e.toString());
                to.reset(RelayRefusal.RESET_CODE_BASE);
                from.reset(RelayRefusal.RESET_CODE_BASE);
            }
        }
    }
}
