package dev.quiver.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time and allocated bytes per platform thread between two snapshots, grouped by thread name (pool worker
 * numbers folded), so a benchmark can tell the receiving event loop's cost from the sender's and the readers'
 * (virtual threads count on their carrier, {@code ForkJoinPool-*-worker}). Allocation hardly depends on how busy
 * the machine is, so it is the steadier figure on a shared machine. Threads that ended between the snapshots are
 * missed.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean SUN_THREADS =
            THREADS instanceof com.sun.management.ThreadMXBean t ? t : null;

    private final Map<Long, Long> cpuNs = new HashMap<>();
    private final Map<Long, Long> allocated = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();

    private ThreadCpu() {
    }

    /** CPU time of every live thread now. */
    static ThreadCpu snapshot() {
        ThreadCpu s = new ThreadCpu();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long ns = THREADS.getThreadCpuTime(info.getThreadId());
            if (ns >= 0) {
                s.cpuNs.put(info.getThreadId(), ns);
                s.allocated.put(info.getThreadId(),
                        SUN_THREADS == null ? 0 : SUN_THREADS.getThreadAllocatedBytes(info.getThreadId()));
                s.names.put(info.getThreadId(), info.getThreadName().replaceAll("-worker-\\d+", "-worker"));
            }
        }
        return s;
    }

    /**
     * {@code name s/GiB (MiB allocated/GiB), ...} for groups above 2 % of the CPU total, largest first, per GiB
     * moved.
     */
    String perGiBSince(ThreadCpu before, long bytes) {
        Map<String, Long> byGroup = new TreeMap<>();
        Map<String, Long> allocByGroup = new TreeMap<>();
        cpuNs.forEach((id, ns) -> byGroup.merge(names.get(id), ns - before.cpuNs.getOrDefault(id, 0L), Long::sum));
        allocated.forEach((id, b) -> allocByGroup.merge(names.get(id), b - before.allocated.getOrDefault(id, 0L),
                Long::sum));
        long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
        double gib = bytes / (double) (1L << 30);
        return byGroup.entrySet().stream()
                .filter(e -> e.getValue() > total / 50)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .map(e -> String.format(Locale.ROOT, "%s %.2f (%.0f MiB)", e.getKey(), e.getValue() / 1e9 / gib,
                        allocByGroup.get(e.getKey()) / (double) (1 << 20) / gib))
                .collect(Collectors.joining(", "));
    }
}
