package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.RelayAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.quiver.transport.relay.AcquisitionState.ACQUIRING;
import static dev.quiver.transport.relay.AcquisitionState.BACKOFF;
import static dev.quiver.transport.relay.AcquisitionState.HOLDING;
import static dev.quiver.transport.relay.AcquisitionState.LOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acquisition state machine, stepped with an injected clock against a fake relay client. */
@Timeout(10)
class AcquisitionDriverTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final RelayAddress RELAY_A = relay(1, 4001);
    private static final RelayAddress RELAY_B = relay(2, 4002);
    private static final InetSocketAddress OWN = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);

    private long now = 1_000 * S;
    private final List<String> events = new ArrayList<>();
    private final FakeConnector connector = new FakeConnector();

    private static RelayAddress relay(int seed, int port) {
        byte[] id = new byte[NodeId.LENGTH_BYTES];
        Arrays.fill(id, (byte) seed);
        return new RelayAddress(NodeId.of(id), new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private AcquisitionDriver driver(List<RelayAddress> candidates) {
        return new AcquisitionDriver(connector, AcquisitionPolicy.DEFAULT, () -> now,
                NodeAddresses.unverified(List.of(OWN)), candidates,
                set -> events.add("publish " + set.relay().map(r -> "relay " + r.address().getPort())
                        .orElse("no relay")),
                (state, t) -> events.add(state + " @" + (t - 1_000 * S) / S), () -> { });
    }

    /** The relay client the driver talks to: scripted to fail or succeed, and recording what was asked. */
    private final class FakeConnector implements RelayConnector {
        boolean succeed;
        boolean healthy = true;
        FakeHeld last;

        @Override
        public HeldRelay acquire(RelayAddress candidate, Duration ttl) throws IOException {
            events.add("acquire " + candidate.address().getPort());
            if (!succeed) {
                throw new IOException("relay " + candidate.address() + " unreachable");
            }
            last = new FakeHeld(candidate);
            return last;
        }
    }

    private final class FakeHeld implements HeldRelay {
        final RelayAddress relay;
        final CompletableFuture<Void> lost = new CompletableFuture<>();

        FakeHeld(RelayAddress relay) {
            this.relay = relay;
        }

        @Override
        public RelayAddress relay() {
            return relay;
        }

        @Override
        public boolean check() {
            events.add("check");
            return connector.healthy;
        }

        @Override
        public CompletableFuture<?> lost() {
            return lost;
        }

        @Override
        public void close() {
            events.add("release " + relay.address().getPort());
        }
    }

    @Test
    void failingAcquisitionBacksOff30_60_120_240_300_300Seconds() {
        AcquisitionDriver driver = driver(List.of(RELAY_A, RELAY_B));
        List<Long> windows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long due = driver.step();
            assertEquals(BACKOFF, driver.state());
            windows.add((due - now) / S);
            now = due - 1;
            assertEquals(due, driver.step(), "nothing happens before the window is over");
            assertEquals(BACKOFF, driver.state());
            now = due;
        }
        assertEquals(List.of(30L, 60L, 120L, 240L, 300L, 300L), windows);
        assertEquals(List.of("ACQUIRING @0", "acquire 4001", "acquire 4002", "BACKOFF @0",
                "ACQUIRING @30", "acquire 4001", "acquire 4002", "BACKOFF @30",
                "ACQUIRING @90", "acquire 4001", "acquire 4002", "BACKOFF @90"), events.subList(0, 12));
    }

    @Test
    void holdingChecksHealthEvery5sAndLossRepublishesBeforeReacquiring() {
        connector.succeed = true;
        AcquisitionDriver driver = driver(List.of(RELAY_A, RELAY_B));
        long due = driver.step();
        assertEquals(HOLDING, driver.state());
        assertEquals(5 * S, due - now);
        assertEquals(Optional.of(RELAY_A), driver.addresses().relay());
        assertEquals(NodeAddresses.Kind.RELAY, driver.addresses().entries().getFirst().kind(), "relay first");
        now = due;
        assertEquals(now + 5 * S, driver.step());
        assertEquals(HOLDING, driver.state());

        now += 5 * S;
        connector.healthy = false;
        connector.succeed = false;
        events.clear();
        driver.step();
        assertEquals(List.of("check", "LOST @10", "release 4001", "publish no relay", "ACQUIRING @10",
                "acquire 4001", "acquire 4002", "BACKOFF @10"), events);
        assertEquals(Optional.empty(), driver.addresses().relay());
        assertEquals(Optional.empty(), driver.addresses().ticket(RELAY_B.nodeId()).relay(),
                "a ticket printed now carries no relay");
    }

    @Test
    void aLostConnectionIsActedOnAtOnceWithoutWaitingForTheHealthCheck() {
        connector.succeed = true;
        AcquisitionDriver driver = driver(List.of(RELAY_A));
        driver.step();
        FakeHeld first = connector.last;
        events.clear();
        first.lost.complete(null);
        now += S; // well before the 5 s check
        driver.step();
        assertEquals(List.of("LOST @1", "release 4001", "publish no relay", "ACQUIRING @1", "acquire 4001",
                "publish relay 4001", "HOLDING @1"), events);
        assertEquals(HOLDING, driver.state());
    }

    @Test
    void successResetsTheBackoff() {
        AcquisitionDriver driver = driver(List.of(RELAY_A));
        now = driver.step();           // window 30
        now = driver.step();           // window 60
        connector.succeed = true;
        driver.step();
        assertEquals(HOLDING, driver.state());
        connector.succeed = false;
        connector.last.lost.complete(null);
        long due = driver.step();
        assertEquals(BACKOFF, driver.state());
        assertEquals(30 * S, due - now, "the first window after a success is the initial one again");
    }

    @Test
    void aCandidateChangeCutsTheBackoffShort() {
        AcquisitionDriver driver = driver(List.of(RELAY_A));
        long due = driver.step();
        assertEquals(BACKOFF, driver.state());
        now += S;
        connector.succeed = true;
        driver.candidates(List.of(RELAY_B));
        long next = driver.step();
        assertTrue(next < due, "the driver did not wait out the backoff");
        assertEquals(HOLDING, driver.state());
        assertEquals(Optional.of(RELAY_B), driver.addresses().relay());
        assertTrue(events.containsAll(List.of("ACQUIRING @1", "acquire 4002", "HOLDING @1", "publish relay 4002")),
                events.toString());
    }

    @Test
    void statesFollowAcquiringHoldingLostBackoff() {
        connector.succeed = true;
        AcquisitionDriver driver = driver(List.of(RELAY_A));
        driver.step();
        connector.succeed = false;
        connector.last.lost.complete(null);
        driver.step();
        List<String> states = events.stream().filter(e -> e.contains("@")).map(e -> e.split(" ")[0]).toList();
        assertEquals(List.of(ACQUIRING.name(), HOLDING.name(), LOST.name(), ACQUIRING.name(), BACKOFF.name()),
                states);
    }
}
