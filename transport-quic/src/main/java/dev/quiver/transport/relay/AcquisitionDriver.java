package dev.quiver.transport.relay;

import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.sched.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The relay acquisition state machine (saorsa-core's design), without threads so tests can step it with an injected
 * clock:
 * <pre>
 *   ACQUIRING --ok--> HOLDING --check fails / connection lost--> LOST --republish without relay--> ACQUIRING
 *       |                                                                                            ^
 *       +--every candidate failed--> BACKOFF --window over / candidate list changed-----------------+
 * </pre>
 * Backoff windows start at {@link AcquisitionPolicy#initialBackoff()} and double up to
 * {@link AcquisitionPolicy#maxBackoff()}; a successful acquisition resets them. On loss the address set is
 * republished without the relay <em>before</em> reacquiring, so peers stop dialing a dead relay at once.
 *
 * <p>Thread: {@link #step()} runs on one thread at a time (the runner's); {@link #connectionLost},
 * {@link #candidates} and the getters may be called from any thread.
 */
final class AcquisitionDriver {
    private static final Logger LOG = LoggerFactory.getLogger(AcquisitionDriver.class);

    /** Hears every state the driver enters, with the clock reading. */
    @FunctionalInterface
    interface Listener {
        void entered(AcquisitionState state, long nowNs);
    }

    private final RelayConnector connector;
    private final AcquisitionPolicy policy;
    private final NanoClock clock;
    private final Consumer<NodeAddresses> publisher;
    private final Listener listener;
    private final Runnable wake;
    private volatile List<RelayAddress> candidates;
    private volatile boolean candidatesChanged;
    private volatile HeldRelay lostHeld;
    private volatile NodeAddresses addresses;
    private volatile AcquisitionState state = AcquisitionState.ACQUIRING;
    private HeldRelay held;
    private long backoffNs;
    private long backoffUntilNs;
    private long nextCheckNs;
    private boolean started;

    AcquisitionDriver(RelayConnector connector, AcquisitionPolicy policy, NanoClock clock, NodeAddresses base,
                      List<RelayAddress> candidates, Consumer<NodeAddresses> publisher, Listener listener,
                      Runnable wake) {
        this.connector = connector;
        this.policy = policy;
        this.clock = clock;
        this.addresses = base;
        this.candidates = List.copyOf(candidates);
        this.publisher = publisher;
        this.listener = listener;
        this.wake = wake;
        this.backoffNs = policy.initialBackoff().toNanos();
    }

    AcquisitionState state() {
        return state;
    }

    NodeAddresses addresses() {
        return addresses;
    }

    /** Replaces the candidate list; a backoff in progress ends at the next step. */
    void candidates(List<RelayAddress> value) {
        candidates = List.copyOf(value);
        candidatesChanged = true;
        wake.run();
    }

    /** Marks {@code lost} as gone (its connection closed); acted on at the next step if it is still held. */
    void connectionLost(HeldRelay lost) {
        lostHeld = lost;
        wake.run();
    }

    /** Replaces the non-relay part of the address set (e.g. an address proven reachable) and republishes. */
    void directAddresses(NodeAddresses base) {
        NodeAddresses updated = addresses.relay().map(base::withRelay).orElseGet(base::withoutRelay);
        addresses = updated;
        publisher.accept(updated);
    }

    /**
     * Does whatever is due now (possibly several transitions) and returns the clock reading at which the next step
     * is due; {@link #connectionLost} and {@link #candidates} make a step due earlier.
     */
    long step() {
        if (!started) {
            started = true;
            enter(AcquisitionState.ACQUIRING, clock.nowNs());
        }
        while (true) {
            long now = clock.nowNs();
            switch (state) {
                case ACQUIRING -> {
                    if (acquire(now)) {
                        return nextCheckNs;
                    }
                    return backoffUntilNs;
                }
                case HOLDING -> {
                    boolean lost = lostHeld == held;
                    if (!lost && now - nextCheckNs >= 0) {
                        lost = !held.check();
                        nextCheckNs = clock.nowNs() + policy.healthInterval().toNanos();
                    }
                    if (!lost) {
                        return nextCheckNs;
                    }
                    enter(AcquisitionState.LOST, now);
                }
                case LOST -> {
                    LOG.info("Lost relay {}; republishing without it", held.relay().nodeId().shortString());
                    held.close();
                    held = null;
                    publish(addresses.withoutRelay());
                    enter(AcquisitionState.ACQUIRING, clock.nowNs());
                }
                case BACKOFF -> {
                    if (!candidatesChanged && now - backoffUntilNs < 0) {
                        return backoffUntilNs;
                    }
                    enter(AcquisitionState.ACQUIRING, now);
                }
            }
        }
    }

    private boolean acquire(long now) {
        candidatesChanged = false;
        for (RelayAddress candidate : candidates) {
            try {
                HeldRelay h = Objects.requireNonNull(connector.acquire(candidate, policy.reservationTtl()));
                held = h;
                h.lost().whenComplete((reason, error) -> connectionLost(h));
                backoffNs = policy.initialBackoff().toNanos();
                long t = clock.nowNs();
                nextCheckNs = t + policy.healthInterval().toNanos();
                // Published first: whoever sees HOLDING also sees an address set that names the relay.
                publish(addresses.withRelay(h.relay()));
                enter(AcquisitionState.HOLDING, t);
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.info("Cannot reserve at relay {} ({}): {}", candidate.nodeId().shortString(), candidate.address(),
                        e.getMessage());
            }
        }
        long t = clock.nowNs();
        backoffUntilNs = t + backoffNs;
        LOG.info("No relay candidate could be reserved ({} tried); retrying in {} s", candidates.size(),
                backoffNs / 1_000_000_000L);
        backoffNs = Math.min(backoffNs * 2, policy.maxBackoff().toNanos());
        enter(AcquisitionState.BACKOFF, t);
        return false;
    }

    private void publish(NodeAddresses value) {
        addresses = value;
        publisher.accept(value);
    }

    private void enter(AcquisitionState next, long nowNs) {
        state = next;
        listener.entered(next, nowNs);
    }

    /** Releases a held slot (on shutdown). */
    void release() {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
