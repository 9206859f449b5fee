package dev.quiver.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a node keeps its relay reservation: the relay's own node ID (pinned like any peer) and its address.
 *
 * @param nodeId  the relay server's node ID
 * @param address the relay's resolved UDP address
 */
public record RelayAddress(NodeId nodeId, InetSocketAddress address) {
    /** Checks that both parts are present and the address is resolved (tickets carry IPs, not names). */
    public RelayAddress {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("relay address must be resolved: " + address);
        }
    }
}
