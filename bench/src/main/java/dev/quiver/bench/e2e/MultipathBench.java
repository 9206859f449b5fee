package dev.quiver.bench.e2e;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.testing.NetLab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multipath goodput and failover between two network namespaces joined by two veth links shaped with tbf
 * (A: 200 Mbit/s, B: 100 Mbit/s), all in one process (NetLab puts each node's sockets in its namespace). Goodput
 * is what the receiving application read, per second:
 * <ul>
 *   <li>single-path sessions over A and over B (the references, measured in the same run);</li>
 *   <li>a session with a path over each link, and its ratio to the sum of the two single-path rates;</li>
 *   <li>failover: with both paths busy, link A goes down; the stall is the time from then until the receiver
 *       reads at 50 % or more of B's single-path rate again, in two consecutive 200 ms windows (the bytes already
 *       on their way when A went down do not count as recovery).</li>
 * </ul>
 * The links use 9000-byte jumbo frames: QUIC costs CPU per packet, and on a small shared machine 1200-byte packets
 * would measure the CPU instead of the links. Needs root and iproute2; prints {@code RESULT} lines for
 * {@code bench/run multipath}. Usage: {@code MultipathBench [secondsPerPhase=5]}.
 */
public final class MultipathBench {
    private static final int SERVICE = 0x2300;
    private static final int CHUNK = 256 << 10;
    private static final int MBIT_A = 200;
    private static final int MBIT_B = 100;
    private static final int JUMBO_MTU = 9000;
    private static final long SAMPLE_NS = 10_000_000L;

    private final NetLab lab;
    private final NetLab.Namespace clientNs;
    private final NetLab.Link linkA;
    private final QuiverNode server;
    private final AtomicLong received = new AtomicLong();
    private final InetSocketAddress viaA;
    private final InetSocketAddress viaB;

    private MultipathBench(NetLab lab) throws Exception {
        this.lab = lab;
        this.clientNs = lab.namespace("bc");
        NetLab.Namespace serverNs = lab.namespace("bs");
        this.linkA = lab.link(clientNs, "10.61.1.1/24", serverNs, "10.61.1.2/24");
        NetLab.Link linkB = lab.link(clientNs, "10.61.2.1/24", serverNs, "10.61.2.2/24");
        for (NetLab.Link link : List.of(linkA, linkB)) {
            link.namespaceA().ip("link", "set", link.ifaceA(), "mtu", Integer.toString(JUMBO_MTU));
            link.namespaceB().ip("link", "set", link.ifaceB(), "mtu", Integer.toString(JUMBO_MTU));
        }
        linkA.rateLimit(MBIT_A);
        linkB.rateLimit(MBIT_B);
        this.server = lab.inNamespace(serverNs, MultipathBench::node);
        server.handle(SERVICE, (session, stream) -> {
            byte[] buf = new byte[CHUNK];
            InputStream in = stream.inputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                received.addAndGet(n);
            }
        });
        int port = server.localAddress().getPort();
        this.viaA = new InetSocketAddress(linkA.addressB(), port);
        this.viaB = new InetSocketAddress(linkB.addressB(), port);
    }

    private static QuiverNode node() throws Exception {
        return QuiverNode.builder().bindAddress(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0))
                .quicConfig(QuicConfig.builder().udpPayloadBytes(JUMBO_MTU - 48)
                        .idleTimeout(Duration.ofSeconds(10)).keepAliveInterval(Duration.ofSeconds(2)).build())
                .resumeGrace(Duration.ofSeconds(10))
                .build();
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Optional<String> why = NetLab.unavailabilityCause();
        if (why.isPresent()) {
            System.err.println("multipath bench needs network namespaces: " + why.get());
            System.exit(2);
        }
        List<String> results = new ArrayList<>();
        try (NetLab lab = NetLab.create()) {
            MultipathBench bench = new MultipathBench(lab);
            try {
                bench.run(seconds, results);
            } finally {
                bench.server.close();
            }
        }
        results.forEach(System.out::println);
    }

    private void run(double seconds, List<String> results) throws Exception {
        long phaseNs = (long) (seconds * 1e9);
        System.out.printf(Locale.ROOT, "links: A %d Mbit/s, B %d Mbit/s (tbf, MTU %d); %.1f s per phase%n",
                MBIT_A, MBIT_B, JUMBO_MTU, seconds);
        measure(List.of(viaA), phaseNs / 2); // warm-up: JIT, handshakes
        double a = measure(List.of(viaA), phaseNs);
        System.out.printf(Locale.ROOT, "single path A      %8.1f Mbit/s%n", a);
        double b = measure(List.of(viaB), phaseNs);
        System.out.printf(Locale.ROOT, "single path B      %8.1f Mbit/s%n", b);
        double both = measure(List.of(viaA, viaB), phaseNs);
        System.out.printf(Locale.ROOT, "multipath A+B      %8.1f Mbit/s  (%.2f of the single-path sum %.1f, nominal %d)%n",
                both, both / (a + b), a + b, MBIT_A + MBIT_B);
        double failover = failover(b, phaseNs);
        System.out.printf(Locale.ROOT, "failover (A down)  %8.3f s to 50 %% of B's rate%n", failover);
        results.add(String.format(Locale.ROOT, "RESULT multipath.single_a_Mbps %.1f", a));
        results.add(String.format(Locale.ROOT, "RESULT multipath.single_b_Mbps %.1f", b));
        results.add(String.format(Locale.ROOT, "RESULT multipath.both_Mbps %.1f", both));
        results.add(String.format(Locale.ROOT, "RESULT multipath.over_sum %.3f", both / (a + b)));
        results.add(String.format(Locale.ROOT, "RESULT multipath.failover_s %.3f", failover));
    }

    /** A client session with a path to each of {@code remotes} (the first one dialed, the others added). */
    private PeerSession connect(QuiverNode client, List<InetSocketAddress> remotes) throws Exception {
        PeerSession session = lab.inNamespace(clientNs,
                () -> client.connect(Ticket.of(server.nodeId(), List.of(remotes.getFirst()))));
        for (InetSocketAddress remote : remotes.subList(1, remotes.size())) {
            session.addPath(null, remote);
        }
        return session;
    }

    /** Writes on one stream for a second to settle, then measures the receiver's goodput for {@code phaseNs}. */
    private double measure(List<InetSocketAddress> remotes, long phaseNs) throws Exception {
        try (QuiverNode client = lab.inNamespace(clientNs, MultipathBench::node)) {
            PeerSession session = connect(client, remotes);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = startWriter(session, stop);
            Thread.sleep(1000);
            long startBytes = received.get();
            long startNs = System.nanoTime();
            Thread.sleep(phaseNs / 1_000_000);
            double mbps = (received.get() - startBytes) * 8e3 / (System.nanoTime() - startNs);
            if (remotes.size() > 1) {
                for (var p : session.paths()) {
                    System.out.printf(Locale.ROOT,
                            "  path %d to %s: %d MiB sent, %d MiB given up (stalls), srtt %.1f ms, loss %.4f%n",
                            p.id(), p.remoteAddress(), p.bytesSent() >> 20, p.bytesLost() >> 20, p.srttNs() / 1e6,
                            p.lossRatio());
                }
            }
            stop.set(true);
            writer.join(5000);
            return mbps;
        }
    }

    private double failover(double rateB, long phaseNs) throws Exception {
        try (QuiverNode client = lab.inNamespace(clientNs, MultipathBench::node)) {
            PeerSession session = connect(client, List.of(viaA, viaB));
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = startWriter(session, stop);
            Thread.sleep(1000 + phaseNs / 2_000_000);
            int samples = (int) (4_000_000_000L / SAMPLE_NS);
            long[] at = new long[samples];
            long[] bytes = new long[samples];
            long downNs = System.nanoTime();
            linkA.down();
            for (int i = 0; i < samples; i++) {
                at[i] = System.nanoTime();
                bytes[i] = received.get();
                long next = downNs + (i + 1) * SAMPLE_NS;
                long sleepNs = next - System.nanoTime();
                if (sleepNs > 0) {
                    Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
                }
            }
            stop.set(true);
            writer.join(5000);
            linkA.up();
            StringBuilder timeline = new StringBuilder("  after A down, Mbit/s per 100 ms:");
            for (int i = 10; i < samples; i += 10) {
                double mbps = (bytes[i] - bytes[i - 10]) * 8e3 / (at[i] - at[i - 10]);
                timeline.append(String.format(Locale.ROOT, " %.0f", mbps));
            }
            System.out.println(timeline);
            // Bytes already on their way when A went down still arrive for a moment, so the stall starts at the first
            // 200 ms window in which the receiver read less than half of B's single-path rate, and ends at the
            // first sample from which two consecutive 200 ms windows read at least that much again.
            double needBytesPerNs = 0.5 * rateB / 8e3;
            int dip = -1;
            for (int i = 0; i + 20 < samples && at[i] - downNs < 1_500_000_000L; i++) {
                if (!good(at, bytes, i, i + 20, needBytesPerNs)) {
                    dip = i;
                    break;
                }
            }
            if (dip < 0) {
                return 0; // the receiver never read less than half of B's rate for 200 ms
            }
            for (int i = dip; i + 40 < samples; i++) {
                if (good(at, bytes, i, i + 20, needBytesPerNs) && good(at, bytes, i + 20, i + 40, needBytesPerNs)) {
                    return (at[i] - downNs) / 1e9;
                }
            }
            return Double.NaN; // never recovered within the sampled 4 s
        }
    }

    private static boolean good(long[] at, long[] bytes, int from, int to, double needBytesPerNs) {
        return bytes[to] - bytes[from] >= needBytesPerNs * (at[to] - at[from]);
    }

    private static Thread startWriter(PeerSession session, AtomicBoolean stop) {
        return Thread.ofVirtual().start(() -> {
            byte[] chunk = new byte[CHUNK];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(chunk);
            try (LogicalStream stream = session.openStream(SERVICE, PriorityClass.BULK, 1)) {
                OutputStream out = stream.outputStream();
                while (!stop.get()) {
                    out.write(chunk);
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    System.err.println("writer failed: " + e);
                }
            }
        });
    }
}
