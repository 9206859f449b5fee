package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One circuit at the relay: its two circuit streams (set-up, then only the circuit's lifetime: an end or a reset on
 * either ends it) and its two sides on the {@link RelayDataPlane} (a token each, bound to a source address on first
 * use). The byte budget covers both directions' forwarded packet bytes; reaching it, or {@link #cut}, resets both
 * streams with the refusal's code and stops forwarding at once.
 *
 * <p>Threads: {@link #run()} watches the initiator's stream on the caller's thread and the target's on a virtual
 * thread; {@link #count} runs on the data plane's thread; {@link #cut} and {@link #close} on any thread.
 */
final class RelayCircuit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayCircuit.class);

    private final RelayDataPlane plane;
    private final LogicalStream initiator;
    private final LogicalStream target;
    private final Side initiatorSide;
    private final Side targetSide;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();

    /** Registers both sides with fresh tokens on {@code plane}; {@link #close()} unregisters them. */
    RelayCircuit(RelayDataPlane plane, LogicalStream initiator, NodeId initiatorId, LogicalStream target,
                 NodeId targetId, long maxBytes) {
        this.plane = plane;
        this.initiator = initiator;
        this.target = target;
        this.maxBytes = maxBytes;
        this.initiatorSide = new Side(this, initiatorId, CircuitToken.random());
        this.targetSide = new Side(this, targetId, CircuitToken.random());
        plane.register(initiatorSide);
        try {
            plane.register(targetSide);
        } catch (RuntimeException e) {
            plane.unregister(initiatorSide);
            throw e;
        }
    }

    /** What the initiator is told in ACCEPTED. */
    CircuitGrant initiatorGrant() {
        return new CircuitGrant(initiatorSide.token(), plane.port());
    }

    /** What the target is told in INCOMING. */
    CircuitGrant targetGrant() {
        return new CircuitGrant(targetSide.token(), plane.port());
    }

    /** Watches both streams until both have ended (or the circuit was cut), then stops forwarding. */
    void run() throws InterruptedException {
        Thread back = Thread.ofVirtual().name("quiver-circuit-watch").start(() -> watch(target, initiator));
        watch(initiator, target);
        back.join();
        close();
    }

    /** Counts {@code length} forwarded bytes; false (and the circuit is cut) once the budget is exceeded. */
    boolean count(int length) {
        if (bytes.addAndGet(length) > maxBytes) {
            cut(RelayRefusal.CIRCUIT_BYTES);
            return false;
        }
        return true;
    }

    /** Resets both streams with {@code reason}'s reset code and stops forwarding; idempotent. */
    void cut(RelayRefusal reason) {
        if (ended.compareAndSet(false, true)) {
            LOG.debug("Cutting circuit {} -> {} after {} bytes: {}", initiatorSide.node().shortString(),
                    targetSide.node().shortString(), bytes.get(), reason);
            close();
            initiator.reset(reason.resetCode());
            target.reset(reason.resetCode());
        }
    }

    /** Packet bytes forwarded so far, both directions. */
    long bytes() {
        return bytes.get();
    }

    /** Stops forwarding (unregisters both tokens); idempotent. */
    @Override
    public void close() {
        plane.unregister(initiatorSide);
        plane.unregister(targetSide);
    }

    /**
     * Reads {@code from} until it ends: an end is passed on as an end, a reset as a reset with the same code, and
     * any byte is a protocol violation (packets travel on the data socket) that resets both.
     */
    private void watch(LogicalStream from, LogicalStream to) {
        try {
            InputStream in = from.inputStream();
            if (in.read() >= 0) {
                throw new RelayProtocolException("bytes on a circuit stream after its header");
            }
            close();
            to.finish();
            from.finish();
        } catch (StreamResetException e) {
            if (ended.compareAndSet(false, true)) {
                close();
                // Pass the reset on with its code, so the other end learns why (e.g. a circuit limit upstream).
                to.reset(e.errorCode());
                from.reset(e.errorCode());
            }
        } catch (IOException e) {
            if (ended.compareAndSet(false, true)) {
                LOG.debug("Circuit {} -> {} ended: {}", initiatorSide.node().shortString(),
                        targetSide.node().shortString(), e.toString());
                close();
                to.reset(RelayRefusal.RESET_CODE_BASE);
                from.reset(RelayRefusal.RESET_CODE_BASE);
            }
        }
    }

    /** One side of a circuit on the data plane: its node, token, and the source address it bound. */
    static final class Side {
        private final RelayCircuit circuit;
        private final NodeId node;
        private final CircuitToken token;
        private final AtomicReference<InetSocketAddress> bound = new AtomicReference<>();

        private Side(RelayCircuit circuit, NodeId node, CircuitToken token) {
            this.circuit = circuit;
            this.node = node;
            this.token = token;
        }

        RelayCircuit circuit() {
            return circuit;
        }

        NodeId node() {
            return node;
        }

        CircuitToken token() {
            return token;
        }

        /** The address this side bound, if it has sent a datagram yet. */
        InetSocketAddress bound() {
            return bound.get();
        }

        /** The other side of the circuit. */
        Side other() {
            return this == circuit.initiatorSide ? circuit.targetSide : circuit.initiatorSide;
        }

        /** Binds this side to {@code from} on first use; whether {@code from} is (now) its address. */
        boolean bind(InetSocketAddress from) {
            InetSocketAddress current = bound.get();
            if (current == null) {
                return bound.compareAndSet(null, from) || from.equals(bound.get());
            }
            return current.equals(from);
        }
    }
}
