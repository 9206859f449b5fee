package dev.quiver.transport;

import java.util.List;

/**
 * A snapshot of one session: logical-stream counters plus one {@link ConnectionStats} per path (RTT, cwnd, bytes
 * sent/received/lost, goodput).
 *
 * @param peer               the peer's node ID
 * @param elapsedNs          time since the session started
 * @param openStreams        logical streams currently open
 * @param streamsOpened      logical streams opened, by either side, since the start
 * @param appBytesSent       application bytes acknowledged by the peer on all logical streams
 * @param appBytesReceived   application bytes received in order on all logical streams (handed to the readers)
 * @param dataFramesSent     StreamData frames written
 * @param controlFramesSent  frames written on the control stream (acks, credit, resets, ...)
 * @param paths              one entry per path
 */
public record SessionStats(NodeId peer, long elapsedNs, int openStreams, long streamsOpened, long appBytesSent,
                           long appBytesReceived, long dataFramesSent, long controlFramesSent,
                           List<ConnectionStats> paths) {

    /** Copies the path list. */
    public SessionStats {
        paths = List.copyOf(paths);
    }

    /** Application bits per second in both directions, averaged since the session started. */
    public double goodputBitsPerSecond() {
        return elapsedNs <= 0 ? 0 : (appBytesSent + appBytesReceived) * 8e9 / elapsedNs;
    }
}
