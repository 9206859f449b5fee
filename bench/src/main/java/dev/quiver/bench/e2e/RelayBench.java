package dev.quiver.bench.e2e;

import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.relay.RelayClient;
import dev.quiver.transport.relay.RelayLimits;
import dev.quiver.transport.relay.RelayServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay on loopback, in the same run as its reference:
 * <ul>
 *   <li>goodput and CPU seconds per GiB (whole process) of one logical stream moving N MiB directly and through a
 *       relay, alternating, best of two each (same QUIC and session settings; the relay adds one hop and the
 *       end-to-end QUIC layer inside the relay's);</li>
 *   <li>idle reservation memory: a relay in a child JVM (run with {@link #RELAY_JVM_FLAGS}), whose RSS and heap
 *       (after GC) are read before and after R nodes each reserve a slot, split into resident Java heap, the JVM's
 *       own native memory (NMT) and the rest (quiche, BoringSSL); then C circuits are opened at once between those
 *       nodes and each carries a message, to show the relay holds them.</li>
 * </ul>
 * Usage: {@code RelayBench [MiB=512] [reservations=1000] [circuits=100]} (MiB 0 skips the goodput part).
 * Prints {@code RESULT relay.*} lines.
 */
public final class RelayBench {
    private static final int CHUNK = 256 << 10;
    private static final long MIB = 1L << 20;
    private static final int MESSAGE = 4096;
    private static final int ROUNDS = 2;
    /**
     * JVM flags a relay should run with (it holds thousands of idle connections, so its memory is mostly what the
     * allocators keep, not what is live): G1 gives back heap above 20% free after a GC instead of 70%, and the JVM
     * returns free glibc malloc memory (left by TLS handshakes between long-lived connection state) every second.
     * Measured per idle reservation (1 000 reservations): resident heap 46.7 to 28.8 KiB (25 KiB live), quiche and
     * BoringSSL with malloc overhead 48 to 36 KiB, RSS 115.6 to 70.5 KiB. {@code -Dquiver.bench.relayJvmDefaults=true}
     * measures without them.
     */
    static final List<String> RELAY_JVM_FLAGS = List.of("-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=20",
            "-XX:MinHeapFreeRatio=5", "-XX:TrimNativeHeapInterval=1000");
    private static final boolean DEFAULT_JVM = Boolean.getBoolean("quiver.bench.relayJvmDefaults");
    /** How long the idle CPU of the relay (and of this process's nodes) is measured with every reservation held. */
    private static final int IDLE_CPU_MS = 5000;
    /** {@code -Dquiver.bench.relayHistogram=true}: also print the relay's live heap growth by class. */
    private static final boolean HISTOGRAM = Boolean.getBoolean("quiver.bench.relayHistogram");

    private RelayBench() {
    }

    /** Runs the benchmark (or, with {@code child}, the relay process of the memory measurement). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            runChild();
            return;
        }
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 512;
        int reservations = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int circuits = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        List<String> results = new ArrayList<>();
        if (mib > 0) {
            goodput(mib * MIB, results);
        }
        idleMemory(reservations, circuits, results);
        results.forEach(System.out::println);
    }

    private static void goodput(long bytes, List<String> results) throws Exception {
        QuicConfig config = QuicConfig.defaults();
        RelayLimits limits = RelayLimits.DEFAULT.withCircuitBudget(Long.MAX_VALUE, Duration.ofHours(1));
        try (RelayServer relay = RelayServer.builder().quicConfig(config).limits(limits).build();
             QuiverNode targetNode = QuiverNode.builder().quicConfig(config).build();
             QuiverNode dialerNode = QuiverNode.builder().quicConfig(config).build();
             RelayClient target = new RelayClient(targetNode);
             RelayClient dialer = new RelayClient(dialerNode)) {
            targetNode.handle(StreamKind.BLOB, (session, stream) -> drain(stream));
            target.reserve(relay.relayAddress(), Duration.ofMinutes(10));
            Ticket ticket = target.ticket();
            PeerSession direct = dialerNode.connect(Ticket.of(ticket.nodeId(), ticket.directAddresses()));
            PeerSession relayed = dialer.connectViaRelay(Ticket.of(ticket.nodeId(), List.of(), ticket.relay(),
                    Optional.empty()));
            transfer(direct, Math.min(bytes, 256 * MIB));
            transfer(relayed, Math.min(bytes, 256 * MIB));
            // Direct and relayed alternate (best of ROUNDS each), so both see the same machine load; CPU seconds
            // per GiB (whole process: both nodes and the relay) is the steadier figure on a shared machine.
            double directGbps = 0;
            double relayedGbps = 0;
            double directCpu = Double.MAX_VALUE;
            double relayedCpu = Double.MAX_VALUE;
            long relayedBefore = relay.relayedBytes();
            for (int round = 0; round < ROUNDS; round++) {
                long cpu0 = RawQuicBench.processCpuNs();
                directGbps = Math.max(directGbps, gbps(direct, bytes));
                long cpu1 = RawQuicBench.processCpuNs();
                relayedGbps = Math.max(relayedGbps, gbps(relayed, bytes));
                long cpu2 = RawQuicBench.processCpuNs();
                directCpu = Math.min(directCpu, cpuPerGiB(cpu1 - cpu0, bytes));
                relayedCpu = Math.min(relayedCpu, cpuPerGiB(cpu2 - cpu1, bytes));
            }
            System.out.printf(Locale.ROOT, "direct %.3f Gbit/s (%.2f CPU s/GiB); relayed %.3f Gbit/s (%.2f CPU "
                            + "s/GiB, %.2fx direct; relay forwarded %.1f MiB for %d MiB of payload)%n", directGbps,
                    directCpu, relayedGbps, relayedCpu, relayedCpu / directCpu,
                    (relay.relayedBytes() - relayedBefore) / (double) MIB, ROUNDS * bytes / MIB);
            results.add(String.format(Locale.ROOT, "RESULT relay.direct_cpu_s_per_GiB %.2f", directCpu));
            results.add(String.format(Locale.ROOT, "RESULT relay.relayed_cpu_s_per_GiB %.2f", relayedCpu));
            results.add(String.format(Locale.ROOT, "RESULT relay.direct_Gbps %.3f", directGbps));
            results.add(String.format(Locale.ROOT, "RESULT relay.relayed_Gbps %.3f", relayedGbps));
            results.add(String.format(Locale.ROOT, "RESULT relay.over_direct %.3f", relayedGbps / directGbps));
        }
    }

    private static double cpuPerGiB(long cpuNs, long bytes) {
        return cpuNs / 1e9 / (bytes / (double) (1L << 30));
    }

    private static double gbps(PeerSession session, long bytes) throws IOException {
        long t0 = System.nanoTime();
        transfer(session, bytes);
        return bytes * 8.0 / (System.nanoTime() - t0);
    }

    private static void drain(LogicalStream stream) throws IOException {
        byte[] buf = new byte[CHUNK];
        InputStream in = stream.inputStream();
        while (in.read(buf) >= 0) {
            // discard
        }
        stream.outputStream().write(1);
    }

    private static void transfer(PeerSession session, long bytes) throws IOException {
        byte[] chunk = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(chunk);
        try (LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 1)) {
            OutputStream out = stream.outputStream();
            for (long left = bytes; left > 0; left -= CHUNK) {
                out.write(chunk, 0, (int) Math.min(CHUNK, left));
            }
            out.close();
            if (stream.inputStream().read() != 1) {
                throw new IOException("no answer from the sink");
            }
        }
    }

    private static void idleMemory(int reservations, int circuits, List<String> results) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // NMT (summary) splits what the JVM itself commits (heap, threads, direct buffers under "Other") from the
        // RSS; the rest of the RSS growth is malloc outside the JVM: quiche and BoringSSL.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:NativeMemoryTracking=summary"));
        List<String> relayFlags = DEFAULT_JVM ? List.of() : RELAY_JVM_FLAGS;
        cmd.addAll(relayFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayBench.class.getName(), "child"));
        System.out.println("relay process JVM flags: " + (relayFlags.isEmpty() ? "JVM defaults" : relayFlags));
        Process child = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<QuiverNode> nodes = new ArrayList<>();
        List<RelayClient> clients = new ArrayList<>();
        try (BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
             PrintStream toChild = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            RelayAddress relay = relayAddress(fromChild.readLine());
            QuicConfig config = QuicConfig.builder().idleTimeout(Duration.ofSeconds(120))
                    .keepAliveInterval(Duration.ofSeconds(30)).build();
            // A first batch loads the relay's classes and warms its allocator pools, so the measured delta is the
            // marginal cost of one more reservation, not the one-time cost of the first.
            int warm = Math.max(1, reservations / 5);
            for (int i = 0; i < warm; i++) {
                reserveOne(relay, config, nodes, clients);
            }
            Thread.sleep(1000);
            long[] before = stats(toChild, fromChild);
            jcmd(child, "VM.native_memory", "baseline");
            long heapRssBefore = heapRssBytes(child);
            Map<String, Long> histogramBefore = HISTOGRAM ? histogram(child) : Map.of();
            for (int i = 0; i < reservations; i++) {
                reserveOne(relay, config, nodes, clients);
            }
            Thread.sleep(1000);
            double[] idleCpu = idleCpu(child, IDLE_CPU_MS);
            long[] after = stats(toChild, fromChild);
            long heapRssDelta = heapRssBytes(child) - heapRssBefore;
            double nativeKiB = nmtDiff(child, reservations, after[4] - before[4], heapRssDelta);
            if (HISTOGRAM) {
                histogramDiff(histogramBefore, histogram(child), reservations);
            }
            double rssKiB = (after[0] - before[0]) / 1024.0 / reservations;
            double heapKiB = (after[1] - before[1]) / 1024.0 / reservations;
            double trimmedKiB = (after[4] - before[4]) / 1024.0 / reservations;
            double jitKiB = (after[5] - before[5]) / 1024.0 / reservations;
            double idleKiB = trimmedKiB - jitKiB;
            System.out.printf(Locale.ROOT, "relay process: %d reservations held; per idle reservation beyond the "
                    + "first batch %.1f KiB RSS (%.1f KiB after malloc_trim, of which the JIT's code cache and "
                    + "compiler arenas %.1f: %.1f KiB held for the reservations), %.1f KiB of it heap after GC%n",
                    after[2], rssKiB, trimmedKiB, jitKiB, idleKiB, heapKiB);
            System.out.printf(Locale.ROOT, "idle CPU over %d ms with %d reservations: relay %.1f%% of a core, the "
                    + "%d nodes of this process %.1f%%%n", IDLE_CPU_MS, after[2], idleCpu[0], nodes.size(),
                    idleCpu[1]);
            int count = Math.min(circuits, reservations / 2);
            int ok = concurrentCircuits(clients, count);
            long[] busy = stats(toChild, fromChild);
            System.out.printf(Locale.ROOT, "%d of %d concurrent circuits carried their message (relay saw %d "
                    + "circuits open at once)%n", ok, count, busy[3]);
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_KiB %.1f", idleKiB));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_rss_KiB %.1f", rssKiB));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_trimmed_KiB %.1f", trimmedKiB));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_relay_cpu_pct %.1f", idleCpu[0]));
            results.add(String.format(Locale.ROOT, "RESULT relay.circuits_ok %d", ok));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_heap_KiB %.1f", heapKiB));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_heap_resident_KiB %.1f",
                    heapRssDelta / 1024.0 / reservations));
            results.add(String.format(Locale.ROOT, "RESULT relay.idle_reservation_native_KiB %.1f", nativeKiB));
        } finally {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (QuiverNode n : nodes) {
                    pool.submit(n::close);
                }
            }
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * CPU used while everything is idle, in percent of one core: {relay child, this process (its nodes)}. An idle
     * relay should cost next to nothing whatever its reservations (each session's path watch once ticked every
     * 25 ms, which cost a third of a core at 1 000 reservations and starved circuit set-up).
     */
    private static double[] idleCpu(Process child, int millis) throws Exception {
        long child0 = childCpuNs(child);
        long self0 = RawQuicBench.processCpuNs();
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        long wallNs = System.nanoTime() - t0;
        return new double[] {100.0 * (childCpuNs(child) - child0) / wallNs,
            100.0 * (RawQuicBench.processCpuNs() - self0) / wallNs};
    }

    private static long childCpuNs(Process child) {
        return child.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Prints, per reservation, the NMT categories whose committed memory grew since the baseline, and the RSS growth
     * NMT does not account for (native libraries' malloc).
     */
    private static double nmtDiff(Process child, int reservations, long rssDeltaBytes, long heapRssDeltaBytes)
            throws Exception {
        Pattern category = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB(?: [+-]\\d+KB)?, committed=\\d+KB"
                + "(?: ([+-]\\d+)KB)?\\)");
        long trackedKiB = 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "relay process, RSS growth per reservation"
                + " (KiB, after malloc_trim) %.1f: Java heap pages resident %.1f; NMT committed growth of the JVM's "
                + "own native memory:", rssDeltaBytes / 1024.0 / reservations,
                heapRssDeltaBytes / 1024.0 / reservations));
        for (String l : jcmd(child, "VM.native_memory", "summary.diff")) {
            Matcher m = category.matcher(l.stripLeading());
            if (m.find() && m.group(2) != null && !m.group(1).equals("Java Heap")) {
                long kiB = Long.parseLong(m.group(2));
                trackedKiB += kiB;
                if (Math.abs(kiB) >= reservations / 10) {
                    line.append(String.format(Locale.ROOT, " %s %.1f;", m.group(1), kiB / (double) reservations));
                }
            }
        }
        double untrackedKiB = (rssDeltaBytes / 1024.0 - heapRssDeltaBytes / 1024.0 - trackedKiB) / reservations;
        line.append(String.format(Locale.ROOT, " untracked by NMT (quiche, BoringSSL and their malloc overhead) %.1f",
                untrackedKiB));
        System.out.println(line);
        return untrackedKiB;
    }

    /** Resident bytes of the Java heap's address range (from {@code GC.heap_info} and the child's smaps). */
    private static long heapRssBytes(Process child) throws Exception {
        Pattern range = Pattern.compile("\\[0x([0-9a-f]+), ?0x([0-9a-f]+)\\)");
        long lo = -1;
        long hi = -1;
        for (String l : jcmd(child, "GC.heap_info")) {
            Matcher m = range.matcher(l);
            if (m.find() && l.contains("heap")) {
                lo = Long.parseUnsignedLong(m.group(1), 16);
                hi = Long.parseUnsignedLong(m.group(2), 16);
                break;
            }
        }
        long rssKiB = 0;
        boolean inHeap = false;
        Pattern mapping = Pattern.compile("^([0-9a-f]+)-[0-9a-f]+ ");
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "smaps"))) {
            Matcher m = mapping.matcher(l);
            if (m.find()) {
                long start = Long.parseUnsignedLong(m.group(1), 16);
                inHeap = start >= lo && start < hi;
            } else if (inHeap && l.startsWith("Rss:")) {
                rssKiB += Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return rssKiB * 1024;
    }

    /** Live heap bytes per class (a full GC first), by class name. */
    private static Map<String, Long> histogram(Process child) throws Exception {
        Map<String, Long> bytes = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
        for (String l : jcmd(child, "GC.class_histogram")) {
            Matcher m = row.matcher(l);
            if (m.find()) {
                bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return bytes;
    }

    private static void histogramDiff(Map<String, Long> before, Map<String, Long> after, int reservations) {
        System.out.println("relay process, live heap growth per reservation by class (bytes):");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %8.0f %s%n", e.getValue() / (double) reservations,
                        e.getKey()));
    }

    private static List<String> jcmd(Process child, String... command) throws Exception {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(child.pid())));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor(30, TimeUnit.SECONDS);
        return lines;
    }

    private static void reserveOne(RelayAddress relay, QuicConfig config, List<QuiverNode> nodes,
                                   List<RelayClient> clients) throws IOException {
        QuiverNode node = QuiverNode.builder().quicConfig(config).build();
        nodes.add(node);
        RelayClient client = new RelayClient(node);
        clients.add(client);
        node.handle(StreamKind.BLOB, (session, stream) -> stream.outputStream().write(
                stream.inputStream().readNBytes(MESSAGE)));
        client.reserve(relay, Duration.ofMinutes(10));
    }

    /** Opens {@code count} relayed sessions at once (node i to node count + i); each echoes a message. */
    /** Circuits set up at the same time by {@link #concurrentCircuits}. */
    private static final int SETUP_WAVE = 10;

    private static int concurrentCircuits(List<RelayClient> clients, int count) throws Exception {
        int ok = 0;
        int failed = 0;
        List<Long> setupMs = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<PeerSession> sessions = new ArrayList<>();
            // Circuits are set up in waves of SETUP_WAVE and all held open together: what is measured is how many
            // circuits the relay carries at once. A burst of 100 simultaneous set-ups (100 inner QUIC handshakes
            // plus 200 nodes in this one JVM on 2 cores) can exceed the relay's 10 s target-answer timeout.
            for (int wave = 0; wave < count; wave += SETUP_WAVE) {
                List<Future<PeerSession>> opening = new ArrayList<>();
                for (int i = wave; i < Math.min(count, wave + SETUP_WAVE); i++) {
                    RelayClient from = clients.get(i);
                    Ticket to = clients.get(count + i).ticket();
                    opening.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        PeerSession s = from.connectViaRelay(Ticket.of(to.nodeId(), List.of(), to.relay(),
                                Optional.empty()));
                        setupMs.add((System.nanoTime() - t0) / 1_000_000);
                        return s;
                    }));
                }
                for (Future<PeerSession> f : opening) {
                    try {
                        sessions.add(f.get(60, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        failed++;
                        System.out.println("circuit set-up failed: " + e.getCause());
                    }
                }
            }
            setupMs.sort(null);
            if (!setupMs.isEmpty()) {
                System.out.printf(Locale.ROOT, "circuit set-up (CONNECT to a relayed session) in waves of %d: "
                        + "median %d ms, max %d ms; %d failed%n", SETUP_WAVE, setupMs.get(setupMs.size() / 2),
                        setupMs.getLast(), failed);
            }
            List<Future<Boolean>> echoes = new ArrayList<>();
            for (PeerSession s : sessions) {
                echoes.add(pool.submit(() -> {
                    byte[] message = new byte[MESSAGE];
                    ThreadLocalRandom.current().nextBytes(message);
                    try (LogicalStream stream = s.openStream(StreamKind.BLOB, PriorityClass.BULK, 1)) {
                        stream.outputStream().write(message);
                        return java.util.Arrays.equals(message, stream.inputStream().readNBytes(MESSAGE));
                    }
                }));
            }
            for (Future<Boolean> f : echoes) {
                ok += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
        }
        return ok;
    }

    private static RelayAddress relayAddress(String line) throws Exception {
        if (line == null || !line.startsWith("relay: ")) {
            throw new IOException("the relay child did not print its ticket: " + line);
        }
        Ticket t = Ticket.parse(line.substring("relay: ".length()));
        return new RelayAddress(t.nodeId(), t.directAddresses().getFirst());
    }

    /**
     * Asks the child for {RSS bytes, heap bytes after GC, reservations, peak circuits, RSS after malloc_trim, the
     * JIT's committed bytes at that reading}.
     */
    private static long[] stats(PrintStream toChild, BufferedReader fromChild) throws IOException {
        toChild.println("stats");
        String line = fromChild.readLine();
        if (line == null) {
            throw new IOException("the relay child exited");
        }
        String[] parts = line.trim().split(" ");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }

    /**
     * {RSS after malloc_trim, the JIT's committed memory (NMT: code cache, compiler, arena chunks)} read together
     * while the JIT is quiet: C2 compiling during a reading holds megabytes of arenas for a moment, which swung the
     * per-reservation RSS delta by up to 20 KiB either way. Up to ten tries 200 ms apart until the JIT's memory is
     * the same (within 64 KiB) before and after the RSS reading; the JIT's part is then subtracted by the caller.
     */
    private static long[] quietTrimmedRss() throws Exception {
        long[] reading = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            mallocTrim();
            long jitBefore = jitCommittedBytes();
            long rss = rssBytes();
            long jitAfter = jitCommittedBytes();
            reading = new long[] {rss, (jitBefore + jitAfter) / 2};
            if (Math.abs(jitAfter - jitBefore) <= 64 << 10) {
                break;
            }
            Thread.sleep(200);
        }
        return reading;
    }

    /** Committed bytes of NMT's Code, Compiler and Arena Chunk categories (-1 without NMT). */
    private static long jitCommittedBytes() throws Exception {
        String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        Pattern category = Pattern.compile(
                "^-\\s+(Code|Compiler|Arena Chunk) \\(reserved=\\d+KB, committed=(\\d+)KB");
        long kiB = 0;
        for (String l : summary.lines().toList()) {
            Matcher m = category.matcher(l.stripLeading());
            if (m.find()) {
                kiB += Long.parseLong(m.group(2));
            }
        }
        return kiB * 1024;
    }

    /**
     * The child: a relay that answers "stats" on stdin with RSS, heap after GC, reservations, peak circuits, RSS
     * after malloc_trim and the JIT's memory at that moment.
     */
    private static void runChild() throws Exception {
        RelayLimits limits = RelayLimits.DEFAULT.withMaxReservations(4096).withCircuits(1024, 8);
        int[] peak = new int[1];
        try (RelayServer relay = RelayServer.builder().limits(limits).build()) {
            System.out.println("relay: " + relay.ticket());
            System.out.flush();
            Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    synchronized (peak) {
                        peak[0] = Math.max(peak[0], relay.circuitCount());
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(100);
                    }
                    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    long rss = rssBytes();
                    long[] trimmed = quietTrimmedRss();
                    synchronized (peak) {
                        System.out.println(rss + " " + heap.getUsed() + " " + relay.reservationCount() + " "
                                + peak[0] + " " + trimmed[0] + " " + trimmed[1]);
                    }
                    System.out.flush();
                }
            }
            watcher.interrupt();
        }
    }

    /**
     * Returns free malloc memory to the OS (glibc {@code malloc_trim(0)}), so a second RSS reading shows what the
     * native libraries (quiche, BoringSSL) keep live rather than what the allocator holds on to after handshakes.
     */
    private static void mallocTrim() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle trim = linker.downcallHandle(linker.defaultLookup().find("malloc_trim").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            int released = (int) trim.invokeExact(0L); // 1 if memory was returned; either is fine
        } catch (Throwable e) {
            // not glibc: the trimmed reading equals the plain one
        }
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
