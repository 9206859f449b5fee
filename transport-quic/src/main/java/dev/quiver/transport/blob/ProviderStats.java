package dev.quiver.transport.blob;

import dev.quiver.transport.NodeId;

import java.util.Map;

/**
 * A snapshot of a {@link BlobProvider}'s counters.
 *
 * @param bytesServed range-response bytes written to peers (header, tree nodes and group data as sent)
 * @param requests range requests answered (including not-found answers)
 * @param notFound requests for blobs this provider does not hold
 * @param refused requests refused for breaking a cap or the protocol (their stream was reset)
 * @param bytesServedByPeer {@code bytesServed} split by the requesting node
 */
public record ProviderStats(long bytesServed, long requests, long notFound, long refused,
                            Map<NodeId, Long> bytesServedByPeer) {

    /** Copies the map. */
    public ProviderStats {
        bytesServedByPeer = Map.copyOf(bytesServedByPeer);
    }
}
