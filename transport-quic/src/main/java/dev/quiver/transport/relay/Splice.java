package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.StreamResetException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One circuit at the relay. Its packets arrive as circuit DATAGRAMs ({@link CircuitDatagram}) on either node's
 * session and {@link #forward} hands each, unchanged and uncopied, to the other node's session. The two circuit
 * streams stay open for the circuit's lifetime and are spliced byte for byte: they carry the packets too large for a
 * DATAGRAM (framed), and a stream's end is passed on as an end, a reset as a reset with the same code. Nothing is
 * parsed beyond the circuit ID (the packets are encrypted end to end). The byte budget covers both directions and
 * both carriers.
 *
 * <p>Threads: {@link #run()} copies initiator → target on the caller's thread and target → initiator on a virtual
 * thread; {@link #forward} runs on the sending session's event loop; {@link #cut} may be called from any thread.
 */
final class Splice {
    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);
    private static final int CHUNK_BYTES = 64 << 10;

    private final LogicalStream initiator;
    private final LogicalStream target;
    private final PeerSession initiatorSession;
    private final PeerSession targetSession;
    private final NodeId initiatorId;
    private final NodeId targetId;
    private final long maxBytes;
    private final SpliceObserver observer;
    private final LongAdder relayedTotal;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();

    Splice(PeerSession initiatorSession, LogicalStream initiator, PeerSession targetSession, LogicalStream target,
           long maxBytes, SpliceObserver observer, LongAdder relayedTotal) {
        this.initiator = initiator;
        this.target = target;
        this.initiatorSession = initiatorSession;
        this.targetSession = targetSession;
        this.initiatorId = initiatorSession.peer();
        this.targetId = targetSession.peer();
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

    /**
     * Forwards a circuit datagram that arrived on {@code from} to the other node, taking ownership of it.
     *
     * @return false (the caller keeps ownership) if {@code from} is neither node of this circuit: a datagram cannot
     *         be injected into a circuit by naming its ID
     */
    boolean forward(PeerSession from, ByteBuf datagram) {
        PeerSession to;
        NodeId fromId;
        NodeId toId;
        if (from == initiatorSession) {
            to = targetSession;
            fromId = initiatorId;
            toId = targetId;
        } else if (from == targetSession) {
            to = initiatorSession;
            fromId = targetId;
            toId = initiatorId;
        } else {
            return false;
        }
        int prefix = CircuitDatagram.prefixBytesOf(datagram);
        int n = datagram.readableBytes() - prefix;
        if (cut.get() || bytes.addAndGet(n) > maxBytes) {
            datagram.release();
            if (!cut.get()) {
                // Resetting streams may wait for their event loop: not on this one.
                Thread.ofVirtual().name("quiver-splice-cut").start(() -> cut(RelayRefusal.CIRCUIT_BYTES));
            }
            return true;
        }
        if (observer != SpliceObserver.NONE) {
            byte[] copy = new byte[n];
            datagram.getBytes(datagram.readerIndex() + prefix, copy);
            observer.forwarded(fromId, toId, copy, 0, n);
        }
        relayedTotal.add(n);
        to.sendDatagrams(List.of(datagram));
        return true;
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
