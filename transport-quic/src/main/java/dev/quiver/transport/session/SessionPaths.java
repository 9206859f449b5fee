package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.Ping;
import dev.quiver.codec.frame.Settings;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.SessionLimits;
import dev.quiver.transport.path.PathScheduler;
import dev.quiver.transport.path.StallDetector;
import dev.quiver.transport.quic.QuicConnection;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The paths of one session and their life: joining (the dialer's Settings name the session token; the acceptor
 * answers once it has filed the connection under the session), liveness (a Ping per path every
 * {@link StallDetector#PROBE_INTERVAL_NS} while the session has several, a stall after a few silent probe
 * intervals, recovery when the path is heard again), failover (the session re-sends the chunks a dead or stalled
 * path held), removal, and resumption: when every path is gone the session waits {@code resumeGrace} for one to
 * come back; the dialer reconnects to every address it knows of the peer, every {@link #RECONNECT_BACKOFF_NS}.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class SessionPaths {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPaths.class);
    /** How often liveness, stalls and resumption are checked while anything needs watching (see {@link #tick}). */
    private static final long TICK_NS = 25_000_000L;
    /**
     * The tick of an idle session (one active path, nothing moving, nothing to resume): it has nothing to check, and
     * {@link #wake()} brings back the fast tick as soon as the session sends or receives stream data. A relay holds
     * a thousand such sessions: at {@link #TICK_NS} they cost 40 000 loop wake-ups a second (a third of a core at
     * the relay, and a full core for a thousand nodes in one process), which starved circuit set-up for seconds.
     */
    private static final long IDLE_TICK_NS = 1_000_000_000L;
    /** A tick this much later than it was scheduled means the loop was starved (see {@link #tick}). */
    private static final long STARVED_LATE_NS = 3 * TICK_NS;
    /** How often quiche's per-path counters (loss) are read while the session has several paths. */
    private static final long STATS_INTERVAL_NS = 200_000_000L;
    /**
     * A dialer whose paths have all been silent this long dials the peer again, without waiting for QUIC's idle
     * timeout (long enough that a busy machine's hiccup does not open spare connections).
     */
    private static final long RECONNECT_SILENCE_NS = 3_000_000_000L;
    /**
     * A dialer whose only path has been silent this long while the session is busy (and so probed) dials the
     * peer again: break before make (the path's link died before another was up) then costs about a second, not
     * QUIC's idle timeout. The new path joins, the silent one is declared stalled and its chunks go out there.
     */
    private static final long SINGLE_PATH_RECONNECT_SILENCE_NS = 1_000_000_000L;
    /**
     * How long a single path stays busy after stream data last arrived on it: longer than
     * {@link #SINGLE_PATH_RECONNECT_SILENCE_NS} plus a few reconnect attempts, so a receiver whose link died keeps
     * redialing for a while before QUIC's idle timeout and session resumption take over.
     */
    private static final long BUSY_AFTER_DATA_NS = 5_000_000_000L;
    /**
     * Stream bytes that must arrive before a single path counts as carrying data: a relay reservation's health
     * ping (a few dozen bytes every 5 s, inside the busy window) would otherwise keep every held relay probed every
     * {@link StallDetector#PROBE_INTERVAL_NS} on both sides, as open streams alone once did.
     */
    private static final long BUSY_MIN_BYTES = 16 << 10;
    /** Pause between two reconnect attempts to one address. */
    static final long RECONNECT_BACKOFF_NS = 250_000_000L;
    /** Application error code closing a connection that asks to join a session this side does not know. */
    static final int UNKNOWN_SESSION = 0x5153; // "QS"
    /** Application error code closing a path removed with {@code removePath}. */
    static final int PATH_REMOVED = 0x5150; // "QP"
    private static final int RETIRED_REMEMBERED = 8;

    private final Session session;
    private final SessionManager manager;
    private final long floorBytes;
    private final long ceilingBytes;
    private final List<QuicPath> list = new ArrayList<>();
    private final ArrayDeque<PathStats> retired = new ArrayDeque<>();
    private final Set<InetSocketAddress> knownRemotes = new LinkedHashSet<>();
    private final Set<InetSocketAddress> dialing = new HashSet<>();
    private final Map<InetSocketAddress, Long> nextDialNs = new HashMap<>();
    private ScheduledFuture<?> ticker;
    /** When the pending tick is due, and whether it is an idle one ({@link #IDLE_TICK_NS}). */
    private long tickDueNs;
    private boolean idleTicking;
    private boolean ticking;
    private long ticks;
    private int nextId;
    private long nextPing;
    private long lastStatsNs;
    private long resumeDeadlineNs;
    /** When the session last became busy with a single path (probing started), 0 when it is not. */
    private long busySinceNs;
    /** Stream bytes received over all paths at the last tick, and when that count last grew. */
    private long receivedAtLastTick;
    private long lastReceiveProgressNs;

    SessionPaths(Session session, SessionManager manager, SessionLimits limits) {
        this.session = session;
        this.manager = manager;
        this.ceilingBytes = limits.pathInflightBytes();
        // Two acknowledgements' worth (Acknowledger.THRESHOLD_BYTES), so the path stays busy while one is on its
        // way. Interactive messages do not wait behind it: while they flow the sender caps the allowance lower
        // (SessionSender.LATENCY_ALLOWANCE_BYTES).
        this.floorBytes = Math.min(ceilingBytes, Math.max(2L * limits.maxPayloadBytes(), 2 * Acknowledger.THRESHOLD_BYTES));
    }

    /** Paths that are not closed, in the order they came. */
    List<QuicPath> all() {
        return list;
    }

    /** Makes a path of {@code connection}, which belongs to this session. */
    QuicPath adopt(QuicConnection connection, PathState state) {
        QuicPath p = new QuicPath(nextId++, connection, session, state, floorBytes, ceilingBytes);
        manager.bindPath(connection, p);
        list.add(p);
        knownRemotes.add(connection.remoteAddress());
        return p;
    }

    void startTicking() {
        ticking = true;
        scheduleTick(TICK_NS, false);
    }

    void stopTicking() {
        ticking = false;
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    /**
     * Stream data is moving (the session pumps or received stream data): an idle session goes back to the fast
     * tick, so probing and stall checks start within {@link #TICK_NS}. Cheap when the tick is fast already.
     */
    void wake() {
        if (idleTicking && ticking) {
            ticker.cancel(false);
            scheduleTick(TICK_NS, false);
        }
    }

    private void scheduleTick(long delayNs, boolean idle) {
        idleTicking = idle;
        tickDueNs = System.nanoTime() + delayNs;
        try {
            ticker = session.loop().schedule(this::tick, delayNs, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            ticking = false; // the node is closing: its loop takes no more tasks
        }
    }

    /** Ticks run so far (tests: an idle session ticks every {@link #IDLE_TICK_NS}, a busy one every {@link #TICK_NS}). */
    long ticks() {
        return ticks;
    }

    /** Addresses of the peer worth dialing when every path is gone (a ticket's direct addresses). */
    void rememberRemotes(List<InetSocketAddress> addresses) {
        knownRemotes.addAll(addresses);
    }

    // ---- joining ------------------------------------------------------------------------------------------------

    /** Dialer: connects from {@code localIp} to {@code remote}; completes with the path's ID once the peer joined it. */
    CompletableFuture<Integer> dial(InetAddress localIp, InetSocketAddress remote) {
        // On the loop: the dial never waits there, and a new dial socket is then created by the loop's thread,
        // which lives in the node's network namespace (an arbitrary caller's thread might not).
        CompletableFuture<QuicConnection> connected = new CompletableFuture<>();
        session.loop().execute(() -> manager.endpoint().dial(session.peer(), remote, localIp, session.loop(), session)
                .whenComplete((c, e) -> {
                    if (e != null) {
                        connected.completeExceptionally(e);
                    } else {
                        connected.complete(c);
                    }
                }));
        return connected.thenCompose(connection -> {
            QuicPath p = manager.pathOf(connection);
            return p != null ? p.joined : CompletableFuture.failedFuture(
                    new IOException("the connection to " + remote + " closed before joining"));
        });
    }

    /** Dialer: a connection dialed for this session is up: announce it as joining the session. */
    void attachDialed(QuicConnection connection) {
        if (session.isClosed()) {
            connection.close(0, "session closed");
            return;
        }
        QuicPath p = adopt(connection, PathState.JOINING);
        p.openControl();
        SessionLimits limits = session.limits();
        p.writeControl(new Settings(limits.streamWindowBytes(), limits.maxPayloadBytes(), session.token(), true));
        p.flush();
        LOG.debug("{}: {} joining", session, p);
    }

    /** Dialer: the peer answered the join on {@code p}: it carries data from now on. */
    void onJoined(QuicPath p) {
        p.state(PathState.ACTIVE);
        p.joined.complete(p.id());
        resumed(p);
    }

    /** Acceptor: the accepted connection of {@code p} named this session: it becomes one of its paths. */
    void adoptAccepted(QuicPath p) {
        p.moveTo(session, nextId++);
        list.add(p);
        knownRemotes.add(p.connection().remoteAddress());
        SessionLimits limits = session.limits();
        p.writeControl(new Settings(limits.streamWindowBytes(), limits.maxPayloadBytes()));
        p.state(PathState.ACTIVE);
        p.joined.complete(p.id());
        resumed(p);
    }

    private void resumed(QuicPath p) {
        if (resumeDeadlineNs != 0) {
            LOG.info("{}: resumed over {}", session, p);
            resumeDeadlineNs = 0;
        } else {
            LOG.debug("{}: {} joined", session, p);
        }
        session.streams().reannounceCredit();
        session.schedulePump();
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /** The best path for a stream's first StreamOpen, or {@code null} when no path is usable. */
    QuicPath best() {
        int i = PathScheduler.pick(list, 0);
        return i < 0 ? null : list.get(i);
    }

    /** A session control frame: on every usable path; when none is usable, on every path that is not closed. */
    void writeControl(Frame frame) {
        boolean any = false;
        for (QuicPath p : list) {
            if (p.usable()) {
                p.writeControl(frame);
                any = true;
            }
        }
        if (!any) {
            for (QuicPath p : list) {
                p.writeControl(frame);
            }
        }
    }

    void flush() {
        for (int i = 0; i < list.size(); i++) { // indexed: no iterator per pump or read burst
            list.get(i).flush();
        }
    }

    void closeData(StreamId id) {
        for (QuicPath p : list) {
            p.closeData(id);
        }
    }

    void closeAll(long code, String reason) {
        stopTicking();
        for (QuicPath p : list) {
            p.close(code, reason);
            p.joined.completeExceptionally(new IOException("session closed: " + reason));
        }
        list.clear();
    }

    // ---- losing paths -------------------------------------------------------------------------------------------

    /** Closes path {@code id} on purpose; its chunks in flight go out on the others. */
    void remove(int id) throws IOException {
        QuicPath p = list.stream().filter(q -> q.id() == id).findFirst()
                .orElseThrow(() -> new IOException("no path " + id + " in " + session));
        if (list.size() == 1) {
            throw new IOException("path " + id + " is the only path of " + session + "; close the session instead");
        }
        retire(p);
        session.streams().failover(p);
        p.close(PATH_REMOVED, "path removed");
        LOG.debug("{}: removed {}", session, p);
    }

    /** The connection of {@code p} closed (either side, or QUIC's idle timeout). */
    void onClosed(QuicPath p) {
        if (!list.contains(p)) {
            return;
        }
        retire(p);
        p.close(0, "closed");
        if (session.isClosed()) {
            return;
        }
        wake(); // a lost path is watched at the fast tick: reconnecting and resumption start at once
        if (!session.isDecided()) {
            session.expire(new SessionClosedException("the connection closed before it named its session", -1));
            return;
        }
        if (p.peerCloseCode == UNKNOWN_SESSION) {
            p.joined.completeExceptionally(new IOException("the peer does not know this session any more"));
            if (list.isEmpty()) {
                session.expire(new SessionClosedException("the peer " + session.peer().shortString()
                        + " no longer knows this session (it expired or the peer restarted)", UNKNOWN_SESSION));
            }
            return;
        }
        p.joined.completeExceptionally(new IOException("the connection closed before the path joined"));
        LOG.info("{}: lost {} ({} paths left)", session, p, list.size());
        session.streams().failover(p);
        if (list.isEmpty()) {
            resumeDeadlineNs = System.nanoTime() + manager.resumeGraceNs();
            LOG.info("{}: every path is gone; waiting up to {} ms for one to come back", session,
                    manager.resumeGraceNs() / 1_000_000);
        }
    }

    private void retire(QuicPath p) {
        list.remove(p);
        p.state(PathState.CLOSED);
        retired.add(p.snapshot());
        if (retired.size() > RETIRED_REMEMBERED) {
            retired.poll();
        }
    }

    // ---- the tick -----------------------------------------------------------------------------------------------

    private void tick() {
        if (session.isClosed() || !ticking) {
            stopTicking();
            return;
        }
        idleTicking = false; // this tick schedules the next one: a wake() meanwhile must not add a second
        ticks++;
        long now = System.nanoTime();
        // A tick far behind its schedule means this loop (or the whole machine) was starved: the silence it would
        // see says nothing about the paths, so no stall is declared until the loop keeps time again.
        boolean starved = now - tickDueNs > STARVED_LATE_NS;
        boolean multi = list.size() > 1;
        // Paths are probed while there are several, or while the only one is busy: an idle session's only path is
        // silent for good reasons (an open but quiet stream, e.g. a relay reservation, included), a busy one's is not.
        boolean busy = !multi && !list.isEmpty() && isBusy(list.getFirst(), now);
        if (busy && busySinceNs == 0) {
            busySinceNs = now;
        } else if (!busy) {
            busySinceNs = 0;
        }
        for (QuicPath p : List.copyOf(list)) {
            if (p.heard) {
                p.heard = false;
                p.stall.heard(now);
            }
            if (!starved) {
                checkStall(p, now, multi);
            }
            if ((multi || busy) && now - p.lastProbeNs >= StallDetector.PROBE_INTERVAL_NS && p.isActive()) {
                p.lastProbeNs = now;
                p.writeControl(new Ping(nextPing++));
            }
        }
        if (multi && now - lastStatsNs >= STATS_INTERVAL_NS) {
            lastStatsNs = now;
            for (QuicPath p : list) {
                p.stats().whenComplete((stats, e) -> {
                    if (e == null) {
                        p.onStats(stats);
                    }
                });
            }
        }
        flush();
        if (session.isDialer() && !starved && needsReconnect(now)) {
            reconnect(now);
        }
        if (list.isEmpty() && resumeDeadlineNs != 0 && now - resumeDeadlineNs > 0) {
            session.expire(new SessionClosedException("no path to " + session.peer().shortString()
                    + " came back within " + manager.resumeGraceNs() / 1_000_000 + " ms", -1));
        }
        if (ticking && !session.isClosed()) {
            boolean idle = !multi && !busy && isSettled();
            scheduleTick(idle ? IDLE_TICK_NS : TICK_NS, idle);
        }
    }

    /** One active path, nothing being dialed and nothing to resume: the tick has nothing to watch. */
    private boolean isSettled() {
        return list.size() == 1 && list.getFirst().state() == PathState.ACTIVE && dialing.isEmpty()
                && resumeDeadlineNs == 0;
    }

    private void checkStall(QuicPath p, long now, boolean multi) {
        if (p.state() == PathState.ACTIVE && multi && p.stall.isStalled(now, p.srttNs())
                && list.stream().anyMatch(q -> q != p && q.usable() && !q.stall.isStalled(now, q.srttNs()))) {
            p.state(PathState.STALLED);
            p.stalledAtNs = now;
            LOG.info("{}: {} silent for {} ms, stalled; its data goes out on the other paths", session, p,
                    (now - p.stall.lastHeardNs()) / 1_000_000);
            session.streams().failover(p);
        } else if (p.state() == PathState.STALLED && p.stall.lastHeardNs() > p.stalledAtNs) {
            p.state(PathState.ACTIVE);
            p.estimator.restart();
            LOG.info("{}: {} heard again, active", session, p);
            session.schedulePump();
        }
    }

    /**
     * Streams are open and data is moving: bytes we sent await their acknowledgement on {@code only}, or at least
     * {@link #BUSY_MIN_BYTES} of stream data arrived since the last such mark, within {@link #BUSY_AFTER_DATA_NS}. Open streams alone are not enough: a thousand idle reservations
     * on a relay would each be pinged every {@link StallDetector#PROBE_INTERVAL_NS}.
     */
    private boolean isBusy(QuicPath only, long now) {
        long received = only.bytesReceived;
        if (received - receivedAtLastTick >= BUSY_MIN_BYTES || received < receivedAtLastTick) {
            receivedAtLastTick = received;
            lastReceiveProgressNs = now;
        }
        return session.hasOpenStreams() && (only.estimator.inflightBytes() > 0
                || (lastReceiveProgressNs != 0 && now - lastReceiveProgressNs < BUSY_AFTER_DATA_NS));
    }

    /**
     * Every path is gone, or (with several paths, which are probed, so silence means something) every path has
     * been silent for {@link #RECONNECT_SILENCE_NS}, or the only path of a busy session has been silent since
     * probing started for {@link #SINGLE_PATH_RECONNECT_SILENCE_NS}. An idle session's single path is left to
     * QUIC's idle timeout: it is not probed, and silent for good reasons.
     */
    private boolean needsReconnect(long now) {
        if (list.isEmpty()) {
            return resumeDeadlineNs != 0;
        }
        if (list.size() < 2) {
            QuicPath only = list.getFirst();
            return busySinceNs != 0 && only.state() != PathState.JOINING
                    && now - Math.max(only.stall.lastHeardNs(), busySinceNs) > SINGLE_PATH_RECONNECT_SILENCE_NS;
        }
        for (QuicPath p : list) {
            if (p.state() != PathState.JOINING && now - p.stall.lastHeardNs() < RECONNECT_SILENCE_NS) {
                return false;
            }
        }
        return list.stream().noneMatch(p -> p.state() == PathState.JOINING);
    }

    /** Dials every address known for the peer that is not being dialed already (and not tried just now). */
    private void reconnect(long now) {
        for (InetSocketAddress remote : List.copyOf(knownRemotes)) {
            Long next = nextDialNs.get(remote);
            if (dialing.contains(remote) || (next != null && now - next < 0)) {
                continue;
            }
            dialing.add(remote);
            nextDialNs.put(remote, now + RECONNECT_BACKOFF_NS);
            LOG.debug("{}: reconnecting to {}", session, remote);
            dial(null, remote).whenComplete((id, e) -> session.loop().execute(() -> {
                dialing.remove(remote);
                if (e != null) {
                    LOG.debug("{}: reconnecting to {} failed: {}", session, remote, e.toString());
                }
            }));
        }
    }

    List<PathStats> snapshot() {
        List<PathStats> out = new ArrayList<>(retired);
        for (QuicPath p : list) {
            out.add(p.snapshot());
        }
        return out;
    }

    @Override
    public String toString() {
        return list.size() + " path(s)";
    }
}
