package dev.quiver.transport.relay;

import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.sched.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps a node holding a relay slot on its own: runs the acquisition state machine (acquiring → holding → lost →
 * backoff, see {@link AcquisitionState}) on one background thread, and publishes the node's typed address set
 * whenever it changes; {@link #ticket()} always carries the current set.
 *
 * <p>Peers with an open session are told of every change on the session's control stream (an address update,
 * {@link RelayClient#announce}); others learn the new set from a fresh ticket.
 *
 * <p>Thread-safe.
 */
public final class RelayAcquisition implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayAcquisition.class);

    private final RelayClient client;
    private final AcquisitionDriver driver;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private final Thread runner;
    private boolean signalled;
    private volatile boolean closed;

    private RelayAcquisition(RelayClient client, List<RelayAddress> candidates, AcquisitionPolicy policy,
                             Consumer<NodeAddresses> onPublish) {
        this.client = client;
        NodeAddresses base = NodeAddresses.unverified(client.node().ticket().directAddresses());
        Objects.requireNonNull(onPublish, "onPublish");
        // Peers with open sessions hear of every set first (a lost relay before the reacquisition, as the driver
        // orders it), then the owner.
        this.driver = new AcquisitionDriver(client::acquire, policy, NanoClock.system(), base, candidates,
                addresses -> {
                    client.announce(addresses);
                    onPublish.accept(addresses);
                },
                (state, nowNs) -> LOG.debug("Relay acquisition: {}", state), this::wake);
        this.runner = Thread.ofPlatform().daemon().name("quiver-relay-acquisition").start(this::run);
    }

    /**
     * Starts acquiring a slot at the first of {@code candidates} that accepts.
     *
     * @param onPublish called (on the acquisition thread) with every new address set
     */
    public static RelayAcquisition start(RelayClient client, List<RelayAddress> candidates, AcquisitionPolicy policy,
                                         Consumer<NodeAddresses> onPublish) {
        return new RelayAcquisition(client, candidates, policy, onPublish);
    }

    /** The current state. */
    public AcquisitionState state() {
        return driver.state();
    }

    /** The address set last published. */
    public NodeAddresses addresses() {
        return driver.addresses();
    }

    /** A ticket for this node with the current address set. */
    public Ticket ticket() {
        return driver.addresses().ticket(client.node().nodeId());
    }

    /** Replaces the relay candidates; a backoff in progress is cut short. */
    public void candidates(List<RelayAddress> value) {
        driver.candidates(value);
    }

    /** Records that a peer reached this node at {@code address} (it becomes a proven direct address). */
    public void proven(InetSocketAddress address) {
        driver.directAddresses(driver.addresses().withoutRelay().withProven(address));
    }

    private void wake() {
        lock.lock();
        try {
            signalled = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!closed) {
            long nextNs;
            try {
                nextNs = driver.step();
            } catch (RuntimeException e) {
                // The loop survives a bug in one step (Aeron's AgentRunner does the same) and tries again later.
                LOG.warn("Relay acquisition step failed", e);
                nextNs = System.nanoTime() + 1_000_000_000L;
            }
            lock.lock();
            try {
                while (!signalled && !closed) {
                    long waitNs = nextNs - System.nanoTime();
                    if (waitNs <= 0) {
                        break;
                    }
                    woken.awaitNanos(waitNs);
                }
                signalled = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the driver and releases the held slot. */
    @Override
    public void close() {
        closed = true;
        wake();
        runner.interrupt();
        try {
            runner.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.release();
    }
}
