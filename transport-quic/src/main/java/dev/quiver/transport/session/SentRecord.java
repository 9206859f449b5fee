package dev.quiver.transport.session;

/**
 * One data chunk of a logical stream in flight: {@code [start, end)} of the stream (the FIN counts as the byte at
 * the final size), the path that carried it and when. The session keeps these per stream until the peer
 * acknowledges the whole chunk; then the path's estimator gets its RTT sample and its budget back. When the path
 * dies or stalls, the chunk is marked lost in the stream's send buffer and goes out again on another path.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class SentRecord {
    final QuicPath path;
    final long start;
    final long end;
    final long sentNs;

    SentRecord(QuicPath path, long start, long end, long sentNs) {
        this.path = path;
        this.start = start;
        this.end = end;
        this.sentNs = sentNs;
    }

    long bytes() {
        return end - start;
    }
}
