package dev.quiver.tools.cmd;

import dev.quiver.tools.transfer.PathReport;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.relay.PathKind;
import dev.quiver.transport.relay.RelayClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The relay side of {@code quiver recv}: dials providers directly and, for tickets that name a relay, through it
 * as well once direct dialing has gone unanswered for {@link RelayClient#DEFAULT_HEDGE_DELAY} (a relayed session
 * then moves to a direct path by itself when one works); and it watches which kind of path carried the bytes, so
 * {@code --verbose} and {@code --json} can say whether the transfer was direct, relayed or both. Kept apart from
 * the transfer code of {@link RecvCommand}.
 *
 * <p>Thread-safe: the downloader dials from its workers while a sampler thread reads the paths.
 */
final class RelayRoute implements AutoCloseable {
    private static final long SAMPLE_INTERVAL_MS = 100;

    /** The last snapshot of one path of a provider's session, and the kind of path it is. */
    private record Seen(String peer, PathStats stats, PathKind kind) {
    }

    private final QuiverNode node;
    private final RelayClient relays;
    private final Set<NodeId> providers = new HashSet<>();
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean closed;

    private RelayRoute(QuiverNode node, List<Ticket> tickets) {
        this.node = node;
        boolean anyRelay = false;
        for (Ticket t : tickets) {
            providers.add(t.nodeId());
            anyRelay |= t.relay().isPresent();
        }
        this.relays = anyRelay ? new RelayClient(node) : null;
        this.sampler = Thread.ofVirtual().name("quiver-recv-route").start(this::sampleUntilClosed);
    }

    /** Starts watching {@code node}'s sessions to the nodes of {@code tickets}. */
    static RelayRoute start(QuiverNode node, List<Ticket> tickets) {
        return new RelayRoute(node, tickets);
    }

    /** Connects to the node of {@code ticket}: direct, hedged with its relay if it names one. */
    PeerSession connect(Ticket ticket) throws IOException, PeerIdentityMismatchException {
        PeerSession session = relays != null && ticket.relay().isPresent() ? relays.connect(ticket)
                : node.connect(ticket);
        sample(List.of(session));
        return session;
    }

    /** "direct", "relayed", "both" (the bytes came over both kinds of path), or "none" (no session was made). */
    synchronized String route() {
        Set<PathKind> carried = EnumSet.noneOf(PathKind.class);
        Set<PathKind> any = EnumSet.noneOf(PathKind.class);
        for (Seen s : seen.values()) {
            any.add(s.kind());
            if (s.stats().bytesReceived() > 0) {
                carried.add(s.kind());
            }
        }
        Set<PathKind> kinds = carried.isEmpty() ? any : carried;
        if (kinds.isEmpty()) {
            return "none";
        }
        return kinds.size() > 1 ? "both" : kinds.iterator().next().name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code --verbose}: one line per path (its last snapshot, which outlives the session: the downloader closes
     * its sessions as it finishes) ending with the path's kind, then the route.
     */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Seen s : seen.values()) {
            out.add(PathReport.line(s.peer(), s.stats()) + ", " + kindName(s.kind()));
        }
        out.add("route: " + route());
        return out;
    }

    private static String kindName(PathKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** {@code --json}: {@code summary} (one JSON object) with {@code "route"} and {@code "path_kinds"} added. */
    synchronized String json(String summary) {
        StringBuilder b = new StringBuilder(summary.substring(0, summary.lastIndexOf('}')));
        b.append(",\"route\":\"").append(route()).append("\",\"path_kinds\":[");
        boolean first = true;
        for (Seen s : seen.values()) {
            b.append(first ? "" : ",").append("{\"peer\":\"").append(s.peer()).append("\",\"path\":")
                    .append(s.stats().id()).append(",\"kind\":\"").append(kindName(s.kind()))
                    .append("\",\"bytes_received\":").append(s.stats().bytesReceived()).append('}');
            first = false;
        }
        return b.append("]}").toString();
    }

    private void sampleUntilClosed() {
        while (!closed) {
            sample(node.sessions().stream().filter(s -> providers.contains(s.peer())).toList());
            try {
                Thread.sleep(SAMPLE_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(List<PeerSession> sessions) {
        for (PeerSession session : sessions) {
            List<PathStats> paths;
            try {
                paths = session.paths();
            } catch (IOException e) {
                continue;
            }
            String peer = session.peer().shortString();
            synchronized (this) {
                for (PathStats p : paths) {
                    String key = peer + "/" + p.id() + "/" + p.remoteAddress();
                    Seen before = seen.get(key);
                    // A closed circuit's proxy is forgotten by the relay client; the path stays what it was.
                    PathKind kind = before != null && before.kind() == PathKind.RELAYED ? PathKind.RELAYED
                            : relays != null ? relays.kindOf(p) : PathKind.DIRECT;
                    // Counters only grow; a retired path's last snapshot must not lose what it carried.
                    if (before == null || p.bytesReceived() >= before.stats().bytesReceived()) {
                        seen.put(key, new Seen(peer, p, kind));
                    }
                }
            }
        }
    }

    /** Stops sampling and the relay client. */
    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
        if (relays != null) {
            relays.close();
        }
    }
}
