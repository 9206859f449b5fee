package dev.quiver.transport.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which packets of an endpoint the in-process impairment layer drops, delays or reorders: an ordered list of
 * rules, the first whose {@link Match} fits a packet decides, and packets no rule matches pass untouched (and
 * uncounted). Rules may be added and cleared while traffic flows. Every UDP socket of the endpoint (listener, dial
 * sockets, sockets a migration moves to) gets its own random stream derived from {@link #seed()} and the order in
 * which the sockets were created, so the n-th packet through a socket meets the same fate on every run with the same
 * traffic. Thread-safe.
 *
 * <pre>{@code
 * ImpairmentPlan plan = ImpairmentPlan.seeded(42)
 *         .add(ImpairmentPlan.Match.local(pathAAddress), Impairment.loss(0.02));   // 2 % loss on path A only
 * QuiverNode node = QuiverNode.builder().impairments(plan).build();
 * ... plan.stats().dropped() ...
 * }</pre>
 */
public final class ImpairmentPlan {
    private final long seed;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger sockets = new AtomicInteger();
    private final LongAdder matched = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder reordered = new LongAdder();

    private ImpairmentPlan(long seed) {
        this.seed = seed;
    }

    /** An empty plan whose random decisions derive from {@code seed}. */
    public static ImpairmentPlan seeded(long seed) {
        return new ImpairmentPlan(seed);
    }

    /** Appends a rule (earlier rules win); returns this plan. */
    public ImpairmentPlan add(Match match, Impairment impairment) {
        rules.add(new Rule(Objects.requireNonNull(match, "match"), Objects.requireNonNull(impairment, "impairment")));
        return this;
    }

    /** Removes every rule: from now on packets pass untouched (packets already held are still delivered). */
    public void clear() {
        rules.clear();
    }

    /** The seed of the random decisions. */
    public long seed() {
        return seed;
    }

    /** Counters since the plan was made. */
    public Stats stats() {
        return new Stats(matched.sum(), dropped.sum(), delayed.sum(), reordered.sum());
    }

    /** The impairment for a packet between {@code local} and {@code remote}, or null if no rule matches. */
    Impairment find(InetSocketAddress local, InetSocketAddress remote, boolean outbound) {
        for (Rule rule : rules) {
            if (rule.match.matches(local, remote, outbound)) {
                return rule.impairment;
            }
        }
        return null;
    }

    /** The seed of the next socket's random stream (SplitMix64 step, so neighbouring sockets are unrelated). */
    long nextSocketSeed() {
        long z = seed + (sockets.incrementAndGet() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    void countMatched() {
        matched.increment();
    }

    void countDropped() {
        dropped.increment();
    }

    void countDelayed() {
        delayed.increment();
    }

    void countReordered() {
        reordered.increment();
    }

    private record Rule(Match match, Impairment impairment) {
    }

    /** Which way a rule applies. */
    public enum Direction {
        /** Packets this endpoint sends. */
        OUTBOUND,
        /** Packets this endpoint receives. */
        INBOUND,
        /** Both. */
        BOTH
    }

    /**
     * Which packets a rule applies to: those whose local socket address has IP {@code localAddress} (null: any)
     * and whose remote end is {@code remoteAddress} (null: any; port 0: any port of that IP), in
     * {@code direction}. The local address is the socket's bound address, so a path is selected by the local
     * address a socket was bound to (not a wildcard) or by the remote address.
     *
     * @param localAddress  local IP, or null for any
     * @param remoteAddress remote IP and port (0 = any port), or null for any
     * @param direction     which way
     */
    public record Match(InetAddress localAddress, InetSocketAddress remoteAddress, Direction direction) {
        /** Validates. */
        public Match {
            Objects.requireNonNull(direction, "direction");
        }

        /** Every packet, both ways. */
        public static Match all() {
            return new Match(null, null, Direction.BOTH);
        }

        /** Packets of sockets bound to {@code local}, both ways. */
        public static Match local(InetAddress local) {
            return new Match(Objects.requireNonNull(local, "local"), null, Direction.BOTH);
        }

        /** Packets to and from any port of {@code remote}, both ways. */
        public static Match remote(InetAddress remote) {
            return new Match(null, new InetSocketAddress(Objects.requireNonNull(remote, "remote"), 0),
                    Direction.BOTH);
        }

        /** Packets to and from exactly {@code remote}, both ways. */
        public static Match remote(InetSocketAddress remote) {
            return new Match(null, Objects.requireNonNull(remote, "remote"), Direction.BOTH);
        }

        /** This match restricted to {@code value}. */
        public Match direction(Direction value) {
            return new Match(localAddress, remoteAddress, value);
        }

        boolean matches(InetSocketAddress local, InetSocketAddress remote, boolean outbound) {
            if (direction == (outbound ? Direction.INBOUND : Direction.OUTBOUND)) {
                return false;
            }
            if (localAddress != null && (local == null || !localAddress.equals(local.getAddress()))) {
                return false;
            }
            if (remoteAddress == null) {
                return true;
            }
            return remote != null && remoteAddress.getAddress().equals(remote.getAddress())
                    && (remoteAddress.getPort() == 0 || remoteAddress.getPort() == remote.getPort());
        }
    }

    /**
     * Counters of a plan.
     *
     * @param packets   packets a rule matched (after GSO/GRO batches were split into packets)
     * @param dropped   packets dropped
     * @param delayed   packets held back (delay, jitter or reordering)
     * @param reordered packets held back for reordering
     */
    public record Stats(long packets, long dropped, long delayed, long reordered) {
    }
}
