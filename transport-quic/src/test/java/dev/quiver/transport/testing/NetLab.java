package dev.quiver.transport.testing;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network lab for tests: Linux network namespaces joined by veth links, optionally rate-limited with
 * {@code tc ... tbf}, and a way to run code (and so create sockets) inside a namespace from this JVM.
 *
 * <pre>{@code
 * try (NetLab lab = NetLab.create()) {               // skips the test unless root with `ip`
 *     NetLab.Namespace client = lab.namespace("client");
 *     NetLab.Namespace server = lab.namespace("server");
 *     NetLab.Link a = lab.link(client, "10.61.1.1/24", server, "10.61.1.2/24");
 *     QuiverNode node = lab.inNamespace(server, () -> QuiverNode.builder()
 *             .bindAddress(new InetSocketAddress(a.addressB(), 0)).build());
 *     a.rateLimit(100);                               // 100 Mbit/s each way
 *     a.down();                                       // both ends down: the path is gone
 * }                                                   // namespaces (and their links) are deleted
 * }</pre>
 *
 * <p><b>Names.</b> Every object is named {@code qv<pid>...} so that concurrent JVMs never collide and a later run
 * can tell leftovers of a killed JVM (dead pid) from those of a live one: namespaces {@code qv<pid>n<k>-<name>},
 * interfaces {@code qv<pid>l<k>a|b} (at most 15 characters, the kernel's IFNAMSIZ - 1). {@link #create()} deletes
 * every such namespace and root-namespace link whose pid is dead.
 *
 * <p><b>Sockets in a namespace.</b> {@link #inNamespace} runs code on a fresh platform thread that has entered
 * the namespace with {@code setns(2)}. A socket belongs to the namespace of the thread that created it, for life,
 * so anything that creates sockets (building a {@code QuiverNode}, its first dial, a migration) must run there;
 * later reads and writes may happen on any thread. Threads started from that thread (such as Netty event loops
 * that start lazily) inherit its namespace. Beware that {@code /proc/net} follows the process's namespace, not the
 * thread's, so JDK calls that read it ({@link java.net.NetworkInterface} lists IPv6 interfaces from
 * {@code /proc/net/if_inet6}) may mix in the root namespace; bind nodes to explicit link addresses. No netem exists on these machines: loss, delay and reordering come
 * from the in-process impairment layer of transport-quic instead.
 *
 * <p><b>Clean-up.</b> {@link #close()} deletes every namespace this lab made (which removes the veth ends inside
 * them) even after a failed test; a shutdown hook does the same if the JVM exits without closing. Thread-safe.
 */
public final class NetLab implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetLab.class);
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final Pattern OURS_NS = Pattern.compile("^qv(\\d+)n\\d+(-[A-Za-z0-9_.-]*)?$");
    private static final Pattern OURS_LINK = Pattern.compile("^qv(\\d+)l\\d+[ab]$");
    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9_.-]{1,20}$");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private final String ip;
    private final String tc;
    private final List<Namespace> namespaces = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetLab(String ip, String tc) {
        this.ip = ip;
        this.tc = tc;
        this.shutdownHook = new Thread(this::deleteAll, "netlab-cleanup-" + PID);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A new lab after removing stale leftovers of dead JVMs. Skips the calling test (JUnit assumption) unless
     * this JVM runs as root and {@code ip} and {@code tc} are installed.
     */
    public static NetLab create() throws IOException {
        Optional<String> why = unavailabilityCause();
        Assumptions.assumeTrue(why.isEmpty(), () -> "network namespace test skipped: " + why.orElseThrow());
        NetLab lab = new NetLab(Commands.find("ip").orElseThrow().toString(),
                Commands.find("tc").orElseThrow().toString());
        lab.removeStale();
        return lab;
    }

    /** Why a lab cannot be created here (not root, no {@code ip} or {@code tc}), or empty if it can. */
    public static Optional<String> unavailabilityCause() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces need Linux, this is " + System.getProperty("os.name"));
        }
        if (Commands.find("ip").isEmpty()) {
            return Optional.of("the `ip` command (iproute2) is not installed");
        }
        if (Commands.find("tc").isEmpty()) {
            return Optional.of("the `tc` command (iproute2) is not installed");
        }
        try {
            String uid = Commands.run("id", "-u").strip();
            if (!uid.equals("0")) {
                return Optional.of("not running as root (uid " + uid + "); namespaces and veth links need root");
            }
        } catch (IOException e) {
            return Optional.of("cannot tell whether this runs as root: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Namespaces and root-namespace links named {@code qv<pid>...} whose pid is no longer alive. */
    private void removeStale() throws IOException {
        for (String name : listNamespaces()) {
            if (isStale(OURS_NS.matcher(name))) {
                LOG.info("Removing stale network namespace {}", name);
                deleteNamespace(name);
            }
        }
        for (String line : Commands.run(ip, "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].split("@", 2)[0];
            if (isStale(OURS_LINK.matcher(name))) {
                LOG.info("Removing stale link {}", name);
                Commands.run(ip, "link", "del", name);
            }
        }
    }

    private static boolean isStale(Matcher m) {
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return pid != PID && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Names of every network namespace {@code ip netns} knows. */
    public static List<String> listNamespaces() throws IOException {
        String ipPath = Commands.find("ip").orElseThrow(() -> new IOException("`ip` is not installed")).toString();
        List<String> names = new ArrayList<>();
        for (String line : Commands.run(ipPath, "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+", 2)[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** The prefix of every namespace and interface name this JVM creates: {@code qv<pid>}. */
    public static String namePrefix() {
        return "qv" + PID;
    }

    /**
     * A new namespace with loopback up. {@code label} (letters, digits, {@code _.-}, ≤ 20) only makes the name
     * readable in {@code ip netns list}.
     */
    public synchronized Namespace namespace(String label) throws IOException {
        ensureOpen();
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("namespace label must match " + LABEL.pattern() + ": " + label);
        }
        String name = namePrefix() + "n" + COUNTER.incrementAndGet() + "-" + label;
        Commands.run(ip, "netns", "add", name);
        Namespace ns = new Namespace(name, label);
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /**
     * A veth pair with one end in {@code a} holding {@code cidrA} (such as {@code "10.61.1.1/24"}) and the other in
     * {@code b} holding {@code cidrB}; both ends are up. IPv6 CIDRs work too (duplicate address detection is
     * switched off so they are usable at once).
     */
    public synchronized Link link(Namespace a, String cidrA, Namespace b, String cidrB) throws IOException {
        ensureOpen();
        requireOwn(a);
        requireOwn(b);
        String base = namePrefix() + "l" + COUNTER.incrementAndGet();
        if (base.length() + 1 > 15) {
            throw new IllegalStateException("interface name " + base + "a is longer than 15 characters");
        }
        Link link = new Link(a, base + "a", cidrA, b, base + "b", cidrB);
        Commands.run(ip, "link", "add", link.ifaceA, "netns", a.name, "type", "veth", "peer", "name", link.ifaceB,
                "netns", b.name);
        link.configure(a, link.ifaceA, cidrA);
        link.configure(b, link.ifaceB, cidrB);
        link.up();
        return link;
    }

    /** Two links between a client and a server namespace, and the server address the client reaches over both. */
    public record TwoLinks(Link a, Link b, InetAddress serverIp) {
    }

    /**
     * Links A ({@code prefix.1.0/24}) and B ({@code prefix.2.0/24}) between {@code client} (host .1) and
     * {@code server} (host .2), and {@code prefix.0.1} on the server's loopback, routed from the client over A
     * (metric 10) and, once A is gone, over B (metric 20): a host whose preferred link can fail under a transfer.
     */
    public TwoLinks twoLinks(Namespace client, Namespace server, String prefix) throws IOException {
        Link a = link(client, prefix + ".1.1/24", server, prefix + ".1.2/24");
        Link b = link(client, prefix + ".2.1/24", server, prefix + ".2.2/24");
        InetAddress serverIp = server.addAddress("lo", prefix + ".0.1/32");
        client.addRoute(prefix + ".0.1/32", a.addressB(), 10);
        client.addRoute(prefix + ".0.1/32", b.addressB(), 20);
        return new TwoLinks(a, b, serverIp);
    }

    /**
     * Runs {@code task} on a fresh platform thread inside {@code ns}, waits for it and returns its result; an
     * exception or error of the task is rethrown as it is.
     */
    public <T> T inNamespace(Namespace ns, Callable<T> task) throws Exception {
        requireOwn(ns);
        return ns.call(task);
    }

    private void requireOwn(Namespace ns) {
        synchronized (this) {
            if (!namespaces.contains(Objects.requireNonNull(ns, "namespace"))) {
                throw new IllegalArgumentException(ns + " does not belong to this lab");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lab is closed");
        }
    }

    /** Deletes every namespace this lab made (with their links); idempotent. */
    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; nothing left to unregister.
        }
    }

    private synchronized void deleteAll() {
        closed = true;
        // A test that timed out arrives here interrupted; clean up regardless, then keep the interrupt.
        boolean interrupted = Thread.interrupted();
        try {
            deleteNamespaces();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deleteNamespaces() {
        for (Namespace ns : namespaces) {
            try {
                deleteNamespace(ns.name);
            } catch (IOException e) {
                LOG.warn("Cannot delete network namespace {}: {}", ns.name, e.getMessage());
            }
        }
        namespaces.clear();
    }

    private void deleteNamespace(String name) throws IOException {
        if (NETNS_DIR.resolve(name).toFile().exists()) {
            Commands.run(ip, "netns", "del", name);
        }
    }

    /** A network namespace of this lab. */
    public final class Namespace {
        private final String name;
        private final String label;

        private Namespace(String name, String label) {
            this.name = name;
            this.label = label;
        }

        /** The kernel-visible name ({@code ip netns list}). */
        public String name() {
            return name;
        }

        /** Runs {@code ip -n <this> args...}; returns stdout. */
        public String ip(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ip, "-n", name));
            command.addAll(List.of(args));
            return Commands.run(command);
        }

        /**
         * Adds {@code cidr} to interface {@code iface} of this namespace, such as a stable host address on
         * {@code lo} ({@code "10.61.0.1/32"}) that stays reachable over whichever link is up.
         */
        public InetAddress addAddress(String iface, String cidr) throws IOException {
            InetAddress address = Link.parse(cidr);
            ip("addr", "add", cidr, "dev", iface);
            return address;
        }

        /**
         * Adds a route to {@code destination} (CIDR) via gateway {@code via} with {@code metric}: the route with
         * the lowest metric whose link is up wins, so two routes with different metrics fail over when a link
         * goes down.
         */
        public void addRoute(String destination, InetAddress via, int metric) throws IOException {
            ip("route", "add", destination, "via", via.getHostAddress(), "metric", Integer.toString(metric));
        }

        /**
         * Source routing, as a multihomed host needs: packets from {@code source} to {@code destination} (CIDR)
         * go via {@code via}, whatever the main table prefers ({@code ip rule add from source lookup T} plus a
         * route in table T, one table per call).
         */
        public void addSourceRoute(InetAddress source, String destination, InetAddress via) throws IOException {
            String table = Integer.toString(100 + COUNTER.incrementAndGet());
            ip("route", "add", destination, "via", via.getHostAddress(), "table", table);
            ip("rule", "add", "from", source.getHostAddress(), "lookup", table);
        }

        /** Runs {@code task} on a fresh platform thread that has entered this namespace; see {@link NetLab}. */
        public <T> T call(Callable<T> task) throws Exception {
            Objects.requireNonNull(task, "task");
            Object[] result = new Object[1];
            Throwable[] failure = new Throwable[1];
            Thread thread = Thread.ofPlatform().name("netns-" + label).unstarted(() -> {
                try {
                    Setns.enter(NETNS_DIR.resolve(name).toString());
                    result[0] = task.call();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            thread.start();
            thread.join();
            if (failure[0] instanceof Exception e) {
                throw e;
            }
            if (failure[0] instanceof Error e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            T value = (T) result[0];
            return value;
        }

        /** Runs {@code task} inside this namespace, wrapping checked exceptions in unchecked ones. */
        public void run(Callable<?> task) {
            try {
                call(task);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("task in " + name + " failed: " + e, e);
            }
        }

        @Override
        public String toString() {
            return "Namespace[" + name + "]";
        }
    }

    /** A veth pair between two namespaces: end A in {@link #namespaceA()}, end B in {@link #namespaceB()}. */
    public final class Link {
        private final Namespace nsA;
        private final Namespace nsB;
        private final String ifaceA;
        private final String ifaceB;
        private final InetAddress addressA;
        private final InetAddress addressB;

        private Link(Namespace nsA, String ifaceA, String cidrA, Namespace nsB, String ifaceB, String cidrB) {
            this.nsA = nsA;
            this.nsB = nsB;
            this.ifaceA = ifaceA;
            this.ifaceB = ifaceB;
            this.addressA = parse(cidrA);
            this.addressB = parse(cidrB);
        }

        static InetAddress parse(String cidr) {
            String host = cidr.split("/", 2)[0];
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP address/prefix: " + cidr);
            }
            try {
                return InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address/prefix: " + cidr, e);
            }
        }

        private void configure(Namespace ns, String iface, String cidr) throws IOException {
            if (cidr.contains(":")) {
                ns.ip("addr", "add", cidr, "dev", iface, "nodad");
            } else {
                ns.ip("addr", "add", cidr, "dev", iface);
            }
        }

        /** End A's namespace. */
        public Namespace namespaceA() {
            return nsA;
        }

        /** End B's namespace. */
        public Namespace namespaceB() {
            return nsB;
        }

        /** End A's interface name. */
        public String ifaceA() {
            return ifaceA;
        }

        /** End B's interface name. */
        public String ifaceB() {
            return ifaceB;
        }

        /** End A's address. */
        public InetAddress addressA() {
            return addressA;
        }

        /** End B's address. */
        public InetAddress addressB() {
            return addressB;
        }

        /**
         * Takes both ends down: packets already queued are dropped, sends from end A's address fail with
         * "network unreachable" and nothing arrives any more, as when a cable is pulled.
         */
        public void down() throws IOException {
            nsA.ip("link", "set", ifaceA, "down");
            nsB.ip("link", "set", ifaceB, "down");
        }

        /** Brings both ends up again (addresses stay configured). */
        public void up() throws IOException {
            nsA.ip("link", "set", ifaceA, "up");
            nsB.ip("link", "set", ifaceB, "up");
        }

        /**
         * Shapes both directions to {@code mbitPerS} with a token bucket ({@code tc qdisc replace ... tbf}):
         * burst of 1 ms at that rate (at least 16 KiB), 50 ms of queue.
         */
        public void rateLimit(int mbitPerS) throws IOException {
            if (mbitPerS <= 0) {
                throw new IllegalArgumentException("rate must be positive: " + mbitPerS);
            }
            long burstBytes = Math.max(16 * 1024, mbitPerS * 1_000_000L / 8 / 1000);
            for (String[] end : new String[][] {{nsA.name, ifaceA}, {nsB.name, ifaceB}}) {
                Commands.run(tc, "-n", end[0], "qdisc", "replace", "dev", end[1], "root", "tbf", "rate",
                        mbitPerS + "mbit", "burst", Long.toString(burstBytes), "latency", "50ms");
            }
        }

        /** Removes the rate limit from both ends. */
        public void clearRateLimit() throws IOException {
            for (String[] end : new String[][] {{nsA.name, ifaceA}, {nsB.name, ifaceB}}) {
                try {
                    Commands.run(tc, "-n", end[0], "qdisc", "del", "dev", end[1], "root");
                } catch (IOException e) {
                    // Deleting the default qdisc fails harmlessly ("No such file or directory" / "Invalid handle").
                    LOG.debug("No qdisc to remove on {}: {}", end[1], e.getMessage());
                }
            }
        }

        /** The qdiscs of end A ({@code tc qdisc show}), for assertions and debugging. */
        public String qdiscA() throws IOException {
            return Commands.run(tc, "-n", nsA.name, "qdisc", "show", "dev", ifaceA);
        }

        @Override
        public String toString() {
            return "Link[" + ifaceA + " " + addressA.getHostAddress() + " <-> " + ifaceB + " "
                    + addressB.getHostAddress() + "]";
        }
    }
}
