package dev.quiver.tools.cmd;

import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.TicketFormatException;
import dev.quiver.transport.relay.AcquisitionPolicy;
import dev.quiver.transport.relay.AcquisitionState;
import dev.quiver.transport.relay.NodeAddresses;
import dev.quiver.transport.relay.RelayAcquisition;
import dev.quiver.transport.relay.RelayClient;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code quiver send --relay RELAY_TICKET} (a picocli mixin): keeps a slot at that relay through the acquisition
 * driver (so a relay restart or a lost connection is re-acquired with backoff) and puts the relay in the tickets
 * the command prints. Kept apart from the transfer code of {@link SendCommand}.
 */
public final class RelayOptions {
    /** How long {@code send} waits for the first reservation before it prints a ticket without the relay. */
    static final Duration FIRST_HOLD_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--relay", paramLabel = "RELAY_TICKET",
            description = "Hold a slot at this relay (the ticket `quiver relay` prints) and name it in the ticket, "
                    + "so receivers that cannot reach this machine directly come through the relay.")
    String relayTicket;

    /** Whether {@code --relay} was given. */
    boolean enabled() {
        return relayTicket != null;
    }

    /**
     * The relay's candidate addresses from {@code --relay}: one per address its ticket lists, same node ID.
     *
     * @throws TicketFormatException if the text is not a ticket, or names no address
     */
    List<RelayAddress> candidates() throws TicketFormatException {
        Ticket relay = Ticket.parse(relayTicket.strip());
        if (relay.directAddresses().isEmpty()) {
            throw new TicketFormatException(TicketFormatException.Reason.BAD_FIELD,
                    "--relay: the relay ticket names no address; use the line `quiver relay` prints");
        }
        List<RelayAddress> out = new ArrayList<>();
        for (InetSocketAddress address : relay.directAddresses()) {
            out.add(new RelayAddress(relay.nodeId(), address));
        }
        return out;
    }

    /**
     * Starts holding the relay for {@code node} and waits (at most {@link #FIRST_HOLD_TIMEOUT}) for the first
     * reservation. Every later change of the address set prints a fresh ticket, made by {@code ticketOf} from the
     * node's bare ticket, on {@code err}.
     */
    Held start(QuiverNode node, PrintWriter err, Function<Ticket, Ticket> ticketOf) throws TicketFormatException,
            InterruptedException {
        List<RelayAddress> candidates = candidates();
        RelayClient client = new RelayClient(node);
        Held held = new Held(client, err, ticketOf);
        held.acquisition = RelayAcquisition.start(client, candidates, AcquisitionPolicy.DEFAULT, held::published);
        long deadline = System.nanoTime() + FIRST_HOLD_TIMEOUT.toNanos();
        while (held.acquisition.state() != AcquisitionState.HOLDING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (held.acquisition.state() == AcquisitionState.HOLDING) {
            err.println("quiver send: holding a slot at relay " + candidates.getFirst().nodeId().shortString()
                    + " (" + held.acquisition.addresses().relay().orElseThrow().address() + ")");
        } else {
            err.println("quiver send: relay " + candidates.getFirst().nodeId().shortString() + " not reached yet ("
                    + held.acquisition.state().name().toLowerCase(java.util.Locale.ROOT)
                    + "); the ticket names no relay for now, and a new one is printed once it is held");
        }
        err.flush();
        held.started = true;
        return held;
    }

    /** A held (or being re-acquired) relay slot of a running {@code send}. */
    static final class Held implements AutoCloseable {
        private final RelayClient client;
        private final PrintWriter err;
        private final Function<Ticket, Ticket> ticketOf;
        private RelayAcquisition acquisition;
        private volatile boolean started;

        private Held(RelayClient client, PrintWriter err, Function<Ticket, Ticket> ticketOf) {
            this.client = client;
            this.err = err;
            this.ticketOf = ticketOf;
        }

        /** The node's ticket with the current address set (the relay while it is held). */
        Ticket ticket() {
            return ticketOf.apply(acquisition.ticket());
        }

        /** A new address set: after start-up, tell the user the ticket that now reaches this node. */
        private void published(NodeAddresses addresses) {
            if (!started) {
                return;
            }
            Ticket now = ticketOf.apply(addresses.ticket(client.node().nodeId()));
            err.println("quiver send: " + (addresses.relay().isPresent() ? "holding relay "
                    + addresses.relay().get().nodeId().shortString() : "lost the relay (re-acquiring)")
                    + "; new ticket: " + now);
            err.flush();
        }

        @Override
        public void close() {
            acquisition.close();
            client.close();
        }
    }
}
