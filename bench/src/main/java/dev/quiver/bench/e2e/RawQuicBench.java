package dev.quiver.bench.e2e;

import dev.quiver.transport.CongestionControl;
import dev.quiver.transport.ConnectionStats;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.quic.QuicConnection;
import dev.quiver.transport.quic.QuicEndpoint;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end raw QUIC throughput on loopback: one in-process client and server ({@link QuicEndpoint}, one event
 * loop thread each), one QUIC stream, no Quiver framing. Compares Netty's default settings with Quiver's tuned
 * ones in the same run and prints {@code RESULT} lines for {@code bench/run quic}.
 *
 * <p>Usage: {@code RawQuicBench [MiB=1024] [config ...]} where a config is {@code default}, {@code tuned},
 * {@code tuned-bbr} or {@code tuned-<payload>} (e.g. {@code tuned-16383}); default configs: default, tuned.
 * CPU is the whole process (both endpoints), per GiB moved.
 */
public final class RawQuicBench {
    private static final long MIB = 1L << 20;

    private RawQuicBench() {
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        List<String> configs = new ArrayList<>(args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("default", "tuned"));
        List<String> results = new ArrayList<>();
        // One discarded transfer first, so the JIT has compiled the shared Netty/QUIC path before any config is
        // measured; otherwise whichever config runs first pays for compilation.
        RawQuicTransfer.Result warm = RawQuicTransfer.run(QuicConfig.defaults(), Math.min(mib, 256) * MIB);
        System.out.printf(Locale.ROOT, "warm-up      %.3f Gbit/s (discarded)%n", warm.gbps());
        for (String name : configs) {
            QuicConfig config = config(name);
            RawQuicTransfer.Result r = RawQuicTransfer.run(config, mib * MIB);
            System.out.printf(Locale.ROOT, "%-12s %s, payload %d B, window %d KiB, %s: %.3f Gbit/s, %.2f CPU s/GiB,"
                            + " path pmtu %d B, cwnd %d B, lost %d pkts of %d; receiver sent %d pkts, %d B%n",
                    name, r.transport(),
                    config.loopbackUdpPayloadBytes(), config.initialMaxStreamDataBytes() / 1024,
                    config.congestionControl(), r.gbps(), r.cpuSecondsPerGiB(), r.stats().pmtuBytes(),
                    r.stats().cwndBytes(), r.stats().lostPackets(), r.stats().sentPackets(),
                    r.receiverStats().sentPackets(), r.receiverStats().sentBytes());
            String key = name.replace('-', '_');
            results.add(String.format(Locale.ROOT, "RESULT quic.raw_%s_Gbps %.3f", key, r.gbps()));
            results.add(String.format(Locale.ROOT, "RESULT quic.raw_%s_cpu_s_per_GiB %.3f", key,
                    r.cpuSecondsPerGiB()));
        }
        // Other work on the machine slows both configs; the load average says how much to trust the numbers.
        System.out.printf(Locale.ROOT, "system load average %.2f on %d CPUs%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        results.forEach(System.out::println);
    }

    /** The named configuration. */
    static QuicConfig config(String name) {
        if (name.equals("default")) {
            // What a Netty QUIC user gets by following Netty's examples: NIO, quiche's 1200-byte payload, 10 MB
            // connection and 1 MB stream windows, 100 streams, CUBIC, OS socket buffers, no keep-alive.
            return QuicConfig.builder().preferEpoll(false).udpPayloadBytes(1200).loopbackUdpPayloadBytes(1200)
                    .initialMaxDataBytes(10_000_000).initialMaxStreamDataBytes(1_000_000)
                    .initialMaxStreamsBidi(100).socketBufferBytes(0).keepAliveInterval(Duration.ZERO).build();
        }
        if (name.equals("tuned")) {
            return QuicConfig.defaults();
        }
        if (name.equals("tuned-bbr")) {
            return QuicConfig.builder().congestionControl(CongestionControl.BBR).build();
        }
        if (name.startsWith("tuned-")) {
            return QuicConfig.builder().loopbackUdpPayloadBytes(Integer.parseInt(name.substring(6))).build();
        }
        throw new IllegalArgumentException("unknown config '" + name + "'; use default, tuned, tuned-bbr or "
                + "tuned-<payload bytes>");
    }

    /** Process CPU time in nanoseconds (all threads, both endpoints). */
    static long processCpuNs() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    static NodeIdentity identity() {
        return NodeIdentity.generate(KeyType.ED25519);
    }

    static void await(java.util.concurrent.CompletableFuture<?> future, long timeoutSeconds) throws Exception {
        future.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Stats of {@code connection}, or a failure if the loop does not answer. */
    static ConnectionStats stats(QuicConnection connection) throws Exception {
        return connection.stats().get(5, TimeUnit.SECONDS);
    }
}
