package dev.quiver.transport.relay;

import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves a relayed session onto a direct path when one appears, and keeps the relay as its backup (issue 7, item 5).
 *
 * <p>While the session has no live direct path, the ticket's direct addresses are dialed as further paths of the
 * same session (a multipath join, {@link PeerSession#addPath}); failed rounds back off from {@link #FIRST_RETRY}
 * doubling to {@link #MAX_RETRY}. Once a direct path has joined, the relayed path goes on standby on both sides
 * ({@link PeerSession#setStandby}): it stays open and probed but carries data only while no direct path is usable,
 * so a direct path that stalls or dies hands its data back to the relay at once (the session re-sends what was in
 * flight on it) and probing starts again. Transfers never notice: the streams are the session's, not a path's.
 *
 * <p>Thread: one virtual thread per relayed session, ended by {@link #stop} or by the session's close.
 */
final class DirectUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(DirectUpgrade.class);
    /** Pause after the first failed round of direct dials. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** Longest pause between two rounds of direct dials. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** How often the session's paths are looked at (a dead direct path is noticed within this). */
    private static final long CHECK_INTERVAL_MS = 200;

    private final PeerSession session;
    private final InetSocketAddress relayRemote;
    private final AtomicInteger upgrades = new AtomicInteger();
    private final Object wake = new Object();
    private volatile List<InetSocketAddress> direct;
    private volatile boolean stopped;
    private volatile boolean probeNow;

    /**
     * An upgrade of {@code session}, whose relayed path has remote address {@code relayRemote} (the local proxy
     * socket), to any of {@code direct}.
     */
    DirectUpgrade(PeerSession session, InetSocketAddress relayRemote, List<InetSocketAddress> direct) {
        this.session = Objects.requireNonNull(session, "session");
        this.relayRemote = Objects.requireNonNull(relayRemote, "relayRemote");
        this.direct = List.copyOf(direct);
    }

    /** Starts probing; returns this. */
    DirectUpgrade start() {
        Thread.ofVirtual().name("quiver-direct-upgrade-" + session.peer().shortString()).start(this::run);
        session.closeFuture().whenComplete((reason, error) -> stop());
        return this;
    }

    /** New direct addresses of the peer (an address update): probed at once. */
    void addresses(List<InetSocketAddress> value) {
        direct = List.copyOf(value);
        probeNow = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** How many times a direct path joined the session. */
    int upgrades() {
        return upgrades.get();
    }

    /** Whether {@code p} is the relayed path of this session. */
    boolean isRelayPath(PathStats p) {
        return relayRemote.equals(p.remoteAddress());
    }

    /** Whether the session has a direct path that is not closed. */
    boolean hasDirectPath() throws IOException {
        for (PathStats p : session.paths()) {
            if (p.state() != PathState.CLOSED && !isRelayPath(p)) {
                return true;
            }
        }
        return false;
    }

    /** Stops probing (paths already joined stay). */
    void stop() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        long backoffMs = FIRST_RETRY.toMillis();
        long nextTryNs = System.nanoTime();
        try {
            while (!stopped && !session.closeFuture().isDone()) {
                if (hasDirectPath()) {
                    keepRelayAsBackup();
                    backoffMs = FIRST_RETRY.toMillis();
                } else if (probeNow || System.nanoTime() - nextTryNs >= 0) {
                    probeNow = false;
                    if (dialDirect()) {
                        backoffMs = FIRST_RETRY.toMillis();
                        continue;
                    }
                    nextTryNs = System.nanoTime() + backoffMs * 1_000_000L;
                    LOG.debug("No direct path to {} yet; next try in {} ms", session.peer().shortString(), backoffMs);
                    backoffMs = Math.min(backoffMs * 2, MAX_RETRY.toMillis());
                }
                synchronized (wake) {
                    if (!stopped && !probeNow) {
                        wake.wait(CHECK_INTERVAL_MS);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The session closed under us: nothing left to upgrade.
            LOG.debug("Direct upgrade of {} ends: {}", session.peer().shortString(), e.getMessage());
        }
    }

    /**
     * One round: every direct address at once; true if one joined the session. The relayed path goes on standby as
     * soon as the first joins, without waiting for addresses that do not answer (their handshakes run to the idle
     * timeout).
     */
    private boolean dialDirect() {
        List<InetSocketAddress> round = direct;
        List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
        for (InetSocketAddress address : round) {
            CompletableFuture<Boolean> attempt = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> attempt.complete(tryPath(address)));
            attempts.add(attempt);
        }
        boolean joined = false;
        for (CompletableFuture<Boolean> attempt : attempts) {
            joined |= attempt.join();
        }
        return joined;
    }

    /** Adds a path to {@code address}; true if it joined (and the relayed path is then on standby). */
    private boolean tryPath(InetSocketAddress address) {
        int pathId;
        try {
            pathId = session.addPath(null, address);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Direct path to {} at {} failed: {}", session.peer().shortString(), address, e.toString());
            return false;
        }
        upgrades.incrementAndGet();
        LOG.info("Session with {} has a direct path ({} at {}); the relay is kept as its backup",
                session.peer().shortString(), pathId, address);
        try {
            keepRelayAsBackup();
        } catch (IOException e) {
            LOG.debug("Cannot put the relayed path of {} on standby: {}", session.peer().shortString(),
                    e.getMessage());
        }
        return true;
    }

    /** Puts the relayed path on standby if it is not yet (a no-op once done). */
    private synchronized void keepRelayAsBackup() throws IOException {
        for (PathStats p : session.paths()) {
            if (p.state() != PathState.CLOSED && isRelayPath(p) && !session.isStandby(p.id())) {
                session.setStandby(p.id(), true);
                LOG.debug("Relayed path {} of {} on standby", p.id(), session.peer().shortString());
            }
        }
    }
}
