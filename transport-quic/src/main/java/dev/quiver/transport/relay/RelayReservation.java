package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.RelayAddress;
import dev.quiver.transport.SessionClosedException;
import dev.quiver.transport.relay.RelayMessage.Ping;
import dev.quiver.transport.relay.RelayMessage.Pong;
import dev.quiver.transport.relay.RelayMessage.Refused;
import dev.quiver.transport.relay.RelayMessage.Reserve;
import dev.quiver.transport.relay.RelayMessage.Reserved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A slot this node holds at a relay: while it is held, peers can reach the node through the relay. It lives on one
 * long-lived reservation stream (subprotocol {@link RelayCodec#SERVICE_ID}) of the session with the relay; closing
 * the stream or losing the session releases it. {@link #check()} renews it once half its TTL has passed, and
 * otherwise pings the relay.
 *
 * <p>Thread-safe: requests on the stream are serialised.
 */
public final class RelayReservation implements HeldRelay {
    private static final Logger LOG = LoggerFactory.getLogger(RelayReservation.class);

    private final RelayClient client;
    private final RelayAddress relay;
    private final PeerSession session;
    private final LogicalStream stream;
    private final InputStream in;
    private final OutputStream out;
    private final long requestedTtlSeconds;
    private volatile long grantedTtlSeconds;
    private volatile long renewAtNs;
    private volatile boolean closed;

    RelayReservation(RelayClient client, RelayAddress relay, PeerSession session, LogicalStream stream,
                     long requestedTtlSeconds) {
        this.client = client;
        this.relay = relay;
        this.session = session;
        this.stream = stream;
        this.in = stream.inputStream();
        this.out = stream.outputStream();
        this.requestedTtlSeconds = requestedTtlSeconds;
    }

    /** The relay holding the slot (what goes into this node's ticket). */
    @Override
    public RelayAddress relay() {
        return relay;
    }

    /** The session with the relay. */
    public PeerSession session() {
        return session;
    }

    /** The TTL the relay granted on the last renewal. */
    public Duration grantedTtl() {
        return Duration.ofSeconds(grantedTtlSeconds);
    }

    /** Completes when the reservation is lost for good (the session with the relay closed). */
    @Override
    public CompletableFuture<SessionClosedException> lost() {
        return session.closeFuture();
    }

    /** True while the session with the relay is open and the reservation was not closed. */
    public boolean isHeld() {
        return !closed && !session.closeFuture().isDone();
    }

    /**
     * Asks the relay to hold (or keep holding) the slot for the requested TTL.
     *
     * @throws RelayRefusedException if the relay refuses (e.g. it is full)
     * @throws IOException if the relay does not answer or the session is gone
     */
    public synchronized void renew() throws IOException {
        RelayMessage answer = request(new Reserve((int) Math.min(Integer.MAX_VALUE, requestedTtlSeconds)));
        switch (answer) {
            case Reserved(int ttlSeconds) -> {
                grantedTtlSeconds = ttlSeconds;
                renewAtNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(ttlSeconds) / 2;
            }
            case Refused(RelayRefusal reason) -> throw new RelayRefusedException(reason, "reservation at relay "
                    + relay.nodeId() + " (" + relay.address() + ")");
            default -> throw new RelayProtocolException("relay answered a reservation with "
                    + answer.getClass().getSimpleName());
        }
    }

    /**
     * The health check: renews once half the granted TTL has passed, else pings the relay and checks that it still
     * holds the slot. Never throws.
     *
     * @return true if the relay answered and holds the reservation
     */
    @Override
    public synchronized boolean check() {
        if (!isHeld()) {
            return false;
        }
        try {
            if (System.nanoTime() - renewAtNs >= 0) {
                renew();
                return true;
            }
            long nonce = ThreadLocalRandom.current().nextLong();
            RelayMessage answer = request(new Ping(nonce));
            return answer instanceof Pong(long echoed, int ttlLeft) && echoed == nonce && ttlLeft > 0;
        } catch (IOException e) {
            LOG.debug("Relay {} failed its health check: {}", relay.nodeId().shortString(), e.toString());
            return false;
        }
    }

    private RelayMessage request(RelayMessage message) throws IOException {
        out.write(RelayCodec.encode(message));
        // A relay that stops answering must not hang the caller: the reset wakes the read.
        return client.withTimeout(stream, () -> RelayCodec.read(in));
    }

    /** Releases the slot (ends the reservation stream); the session with the relay stays for other uses. */
    @Override
    public void close() {
        closed = true;
        stream.close();
        client.forget(this);
    }

    @Override
    public String toString() {
        return "reservation at " + relay.nodeId().shortString() + " (" + relay.address() + ")";
    }
}
