package dev.quiver.transport;

import java.net.InetSocketAddress;

/**
 * A snapshot of one QUIC connection (one path), read from quiche on the connection's event loop.
 *
 * @param peer                 the peer's node ID
 * @param localAddress         local UDP address of the active path
 * @param remoteAddress        remote UDP address of the active path
 * @param elapsedNs            time since the connection was established
 * @param rttNs                smoothed RTT of the active path (RFC 9002 §5.3)
 * @param cwndBytes            congestion window of the active path
 * @param pmtuBytes            maximum UDP payload the path currently uses
 * @param deliveryRateBytesPerSecond quiche's delivery-rate estimate
 * @param sentBytes            UDP payload bytes sent (headers, retransmissions and control included)
 * @param receivedBytes        UDP payload bytes received
 * @param lostBytes            bytes declared lost
 * @param sentPackets          packets sent
 * @param lostPackets          packets declared lost
 * @param streamBytesWritten   application bytes handed to QUIC streams of this connection
 * @param streamBytesRead      application bytes read from QUIC streams of this connection
 */
public record ConnectionStats(NodeId peer, InetSocketAddress localAddress, InetSocketAddress remoteAddress,
                              long elapsedNs, long rttNs, long cwndBytes, long pmtuBytes,
                              long deliveryRateBytesPerSecond, long sentBytes, long receivedBytes, long lostBytes,
                              long sentPackets, long lostPackets, long streamBytesWritten, long streamBytesRead) {

    /** Application bytes per second moved in both directions, averaged since the connection was established. */
    public double averageGoodputBitsPerSecond() {
        return elapsedNs <= 0 ? 0 : (streamBytesRead + streamBytesWritten) * 8e9 / elapsedNs;
    }

    /**
     * Application bits per second moved in both directions between {@code earlier} and this snapshot of the same
     * connection: the goodput of that interval.
     */
    public double goodputBitsPerSecondSince(ConnectionStats earlier) {
        long intervalNs = elapsedNs - earlier.elapsedNs;
        long bytes = streamBytesRead + streamBytesWritten - earlier.streamBytesRead - earlier.streamBytesWritten;
        return intervalNs <= 0 ? 0 : bytes * 8e9 / intervalNs;
    }

    /** Fraction of sent packets declared lost. */
    public double lossRatio() {
        return sentPackets == 0 ? 0 : (double) lostPackets / sentPackets;
    }
}
