package dev.quiver.transport.relay;

import dev.quiver.codec.frame.AddressUpdate;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed address set a node publishes: its relay (when one is held), direct addresses proven reachable (a peer
 * reached the node there), and unverified ones (its own interface addresses, which NATs and firewalls may hide).
 *
 * @param relay      the held relay, if any
 * @param direct     proven direct addresses
 * @param unverified other direct addresses, not proven reachable
 */
public record NodeAddresses(Optional<RelayAddress> relay, List<InetSocketAddress> direct,
                            List<InetSocketAddress> unverified) {

    /** What kind of address an {@link Entry} is. */
    public enum Kind { RELAY, DIRECT, UNVERIFIED }

    /**
     * One published address.
     *
     * @param kind    its kind
     * @param address the UDP address (the relay's for {@link Kind#RELAY})
     * @param relayId the relay's node ID for {@link Kind#RELAY}
     */
    public record Entry(Kind kind, InetSocketAddress address, Optional<NodeId> relayId) {
    }

    /** Copies the lists; an address proven direct is not listed as unverified too. */
    public NodeAddresses {
        Objects.requireNonNull(relay, "relay");
        direct = List.copyOf(new LinkedHashSet<>(direct));
        List<InetSocketAddress> rest = new ArrayList<>(new LinkedHashSet<>(unverified));
        rest.removeAll(direct);
        unverified = List.copyOf(rest);
    }

    /** A set with only unverified addresses (a node's own interface addresses). */
    public static NodeAddresses unverified(List<InetSocketAddress> addresses) {
        return new NodeAddresses(Optional.empty(), List.of(), addresses);
    }

    /** This set with {@code value} as its relay. */
    public NodeAddresses withRelay(RelayAddress value) {
        return new NodeAddresses(Optional.of(value), direct, unverified);
    }

    /** This set without a relay. */
    public NodeAddresses withoutRelay() {
        return new NodeAddresses(Optional.empty(), direct, unverified);
    }

    /** This set with {@code address} proven reachable. */
    public NodeAddresses withProven(InetSocketAddress address) {
        List<InetSocketAddress> proven = new ArrayList<>(direct);
        proven.add(address);
        return new NodeAddresses(relay, proven, unverified);
    }

    /** Every address in publishing order: the relay first (when held), then proven, then unverified. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        relay.ifPresent(r -> out.add(new Entry(Kind.RELAY, r.address(), Optional.of(r.nodeId()))));
        direct.forEach(a -> out.add(new Entry(Kind.DIRECT, a, Optional.empty())));
        unverified.forEach(a -> out.add(new Entry(Kind.UNVERIFIED, a, Optional.empty())));
        return out;
    }

    /** A ticket for {@code node} with this set: proven then unverified addresses (at most 16), and the relay. */
    public Ticket ticket(NodeId node) {
        List<InetSocketAddress> addresses = new ArrayList<>(direct);
        addresses.addAll(unverified);
        return Ticket.of(node, addresses.subList(0, Math.min(addresses.size(), Ticket.MAX_DIRECT_ADDRESSES)), relay,
                Optional.empty());
    }

    /**
     * The set as the entries of an address update for peers with open sessions: relay first, then proven, then
     * unverified addresses, at most {@link AddressUpdate#MAX_ENTRIES}.
     */
    public List<AddressUpdate.Entry> toUpdate() {
        List<AddressUpdate.Entry> out = new ArrayList<>();
        for (Entry e : entries()) {
            if (out.size() == AddressUpdate.MAX_ENTRIES || e.address().isUnresolved()) {
                continue;
            }
            AddressUpdate.Kind kind = switch (e.kind()) {
                case RELAY -> AddressUpdate.Kind.RELAY;
                case DIRECT -> AddressUpdate.Kind.DIRECT;
                case UNVERIFIED -> AddressUpdate.Kind.UNVERIFIED;
            };
            out.add(new AddressUpdate.Entry(kind, e.address().getAddress().getAddress(), e.address().getPort(),
                    e.relayId().map(NodeId::toBytes).orElse(new byte[0])));
        }
        return out;
    }

    /** The set a peer announced in an address update (the first relay entry is its relay). */
    public static NodeAddresses fromUpdate(List<AddressUpdate.Entry> entries) {
        Optional<RelayAddress> relay = Optional.empty();
        List<InetSocketAddress> direct = new ArrayList<>();
        List<InetSocketAddress> unverified = new ArrayList<>();
        for (AddressUpdate.Entry e : entries) {
            InetSocketAddress address;
            try {
                address = new InetSocketAddress(InetAddress.getByAddress(e.ip()), e.port());
            } catch (UnknownHostException ex) {
                throw new AssertionError("a 4- or 16-byte address is always valid", ex);
            }
            switch (e.kind()) {
                case RELAY -> {
                    if (relay.isEmpty()) {
                        relay = Optional.of(new RelayAddress(NodeId.of(e.relayNodeId()), address));
                    }
                }
                case DIRECT -> direct.add(address);
                case UNVERIFIED -> unverified.add(address);
            }
        }
        return new NodeAddresses(relay, direct, unverified);
    }
}
