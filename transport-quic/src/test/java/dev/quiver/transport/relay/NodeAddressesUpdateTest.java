package dev.quiver.transport.relay;

import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.RelayAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node's typed address set as the entries of an address update, and back. */
class NodeAddressesUpdateTest {

    @Test
    @Timeout(5)
    void theSetRoundTripsThroughUpdateEntriesRelayFirst() {
        byte[] id = new byte[NodeId.LENGTH_BYTES];
        id[0] = 9;
        RelayAddress relay = new RelayAddress(NodeId.of(id), new InetSocketAddress("10.1.2.3", 4433));
        NodeAddresses set = new NodeAddresses(Optional.of(relay), List.of(new InetSocketAddress("192.0.2.1", 1000)),
                List.of(new InetSocketAddress("::1", 2000), new InetSocketAddress("198.51.100.7", 3000)));
        List<AddressUpdate.Entry> entries = set.toUpdate();
        assertEquals(List.of(AddressUpdate.Kind.RELAY, AddressUpdate.Kind.DIRECT, AddressUpdate.Kind.UNVERIFIED,
                AddressUpdate.Kind.UNVERIFIED), entries.stream().map(AddressUpdate.Entry::kind).toList());
        assertEquals(set, NodeAddresses.fromUpdate(entries));
    }

    @Test
    @Timeout(5)
    void aSetLargerThanAnUpdateIsCutToItsCap() {
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new InetSocketAddress("10.0.0." + (i + 1), 5000));
        }
        List<AddressUpdate.Entry> entries = NodeAddresses.unverified(many).toUpdate();
        assertEquals(AddressUpdate.MAX_ENTRIES, entries.size());
        assertEquals(many.subList(0, AddressUpdate.MAX_ENTRIES), NodeAddresses.fromUpdate(entries).unverified());
    }
}
