package dev.quiver.transport;

import java.net.InetSocketAddress;

/**
 * A snapshot of one path of a session: one QUIC connection over one (local, remote) address pair. RTT, goodput and
 * the byte counters are measured at session level (from writing a data frame to the peer's acknowledgement of it);
 * the loss ratio is quiche's (packets declared lost over packets sent, recent).
 *
 * @param id                   the path's number in this session (this side's numbering)
 * @param localAddress         our UDP address
 * @param remoteAddress        the peer's UDP address
 * @param state                where the path is in its life
 * @param srttNs               smoothed write-to-ack RTT (0 before the first sample)
 * @param minRttNs             smallest recent write-to-ack RTT
 * @param goodputBitsPerSecond recent rate of acknowledged application bytes sent on this path
 * @param lossRatio            recent fraction of QUIC packets lost on this path
 * @param inflightBytes        application bytes sent on the path and not acknowledged yet
 * @param allowanceBytes       the path's current adaptive in-flight allowance
 * @param bytesSent            application bytes sent on the path (re-sends included)
 * @param bytesAcked           application bytes sent on the path that the peer acknowledged
 * @param bytesLost            bytes given up on this path (it died or stalled) and re-sent on another
 * @param bytesReceived        application bytes received on the path (StreamData payloads)
 */
public record PathStats(int id, InetSocketAddress localAddress, InetSocketAddress remoteAddress, PathState state,
                        long srttNs, long minRttNs, double goodputBitsPerSecond, double lossRatio,
                        long inflightBytes, long allowanceBytes, long bytesSent, long bytesAcked, long bytesLost,
                        long bytesReceived) {
}
