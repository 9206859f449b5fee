package dev.quiver.transport.quic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether a destination is this host itself. Linux delivers packets to any of the host's own interface addresses
 * through the loopback device (the "local" routing table), so a path to {@code 10.1.2.3} on the same host is as
 * wide as one to {@code 127.0.0.1} and deserves the loopback UDP payload. It matters because a ticket lists a
 * host's non-loopback addresses: a receiver on the same host dialed them with 1200-byte packets (~100 Mbit/s
 * measured) instead of 16383.
 *
 * <p>The interface addresses are enumerated at most every {@link #REFRESH_NS} per network namespace of the calling
 * thread (a test JVM runs nodes in several; {@code /proc/thread-self/ns/net} names the thread's), so a dial costs a
 * map lookup. Thread-safe.
 */
final class HostAddresses {

    static final long REFRESH_NS = TimeUnit.SECONDS.toNanos(2);
    private static final Path THREAD_NET_NS = Path.of("/proc/thread-self/ns/net");

    private record Snapshot(Set<InetAddress> addresses, long takenNs) { }

    private static final Map<String, Snapshot> BY_NAMESPACE = new ConcurrentHashMap<>();

    private HostAddresses() {
    }

    /** True for loopback addresses and for addresses of this host's own interfaces (in the thread's namespace). */
    static boolean routesOverLoopback(InetAddress destination) {
        if (destination.isLoopbackAddress()) {
            return true;
        }
        String ns = namespace();
        long now = System.nanoTime();
        Snapshot s = BY_NAMESPACE.get(ns);
        if (s == null || now - s.takenNs() > REFRESH_NS) {
            s = new Snapshot(enumerate(), now);
            BY_NAMESPACE.put(ns, s);
        }
        return s.addresses().contains(destination);
    }

    private static String namespace() {
        try {
            return Files.readSymbolicLink(THREAD_NET_NS).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";   // not Linux: one namespace
        }
    }

    private static Set<InetAddress> enumerate() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    own.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // Unknown: treat every non-loopback destination as remote, the safe (smaller) payload.
            return Set.of();
        }
        return own;
    }
}
