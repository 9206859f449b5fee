package dev.quiver.tools.transfer;

import dev.quiver.transport.PathStats;

import java.util.Locale;

/** The per-path lines {@code quiver recv --verbose} prints: which links carried the transfer, and how well. */
public final class PathReport {

    private PathReport() {
    }

    /** {@code peer path N local -> remote state, srtt, goodput, loss, bytes sent/acked/received}. */
    public static String line(String peer, PathStats p) {
        return String.format(Locale.ROOT, "peer %s path %d %s -> %s %s: srtt %.1f ms, goodput %s, loss %.2f %%, "
                        + "sent %s (acked %s, re-sent elsewhere %s), received %s",
                peer, p.id(), p.localAddress(), p.remoteAddress(), p.state().name().toLowerCase(Locale.ROOT),
                p.srttNs() / 1e6, Sizes.rate(p.goodputBitsPerSecond() / 8), 100 * p.lossRatio(),
                Sizes.bytes(p.bytesSent()), Sizes.bytes(p.bytesAcked()), Sizes.bytes(p.bytesLost()),
                Sizes.bytes(p.bytesReceived()));
    }
}
