package dev.quiver.transport;

import dev.quiver.codec.stream.StreamId;

/**
 * A snapshot of one logical stream, taken on the connection's event loop.
 *
 * @param id                     the logical stream
 * @param bytesWritten           bytes the application handed to the stream
 * @param bytesAcked             bytes the peer acknowledged (prefix)
 * @param sendBufferedBytes      bytes held by the send buffer now (written, unacknowledged)
 * @param maxSendBufferedBytes   the most the send buffer ever held
 * @param sendWindowBytes        the send buffer's cap
 * @param peerCreditLimit        the offset up to which the peer allows us to send
 * @param bytesReceived          bytes handed to the application reader
 * @param receiveBufferedBytes   bytes held for the reader now (reassembly buffer plus hand-off queue)
 * @param maxReceiveBufferedBytes the most the receive side ever held
 * @param receiveWindowBytes     the credit window we grant the peer
 */
public record StreamStats(StreamId id, long bytesWritten, long bytesAcked, long sendBufferedBytes,
                          long maxSendBufferedBytes, long sendWindowBytes, long peerCreditLimit, long bytesReceived,
                          long receiveBufferedBytes, long maxReceiveBufferedBytes, long receiveWindowBytes) {
}
