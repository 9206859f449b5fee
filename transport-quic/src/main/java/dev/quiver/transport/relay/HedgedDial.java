package dev.quiver.transport.relay;

import dev.quiver.transport.DialException;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection attempt that races the direct and the relayed way (happy eyeballs, RFC 8305 §5): the direct
 * dial starts at once, the relayed one after a delay or as soon as the direct dial failed; the first session wins
 * and a later one is closed. A direct address that answers with the wrong key ends the attempt at once: the
 * relayed peer would be pinned to the same node ID, so there is nothing to fall back to.
 *
 * <p>Thread-safe; {@link #await} blocks the caller (not an event loop).
 */
final class HedgedDial {
    private static final Logger LOG = LoggerFactory.getLogger(HedgedDial.class);

    private final RelayClient client;
    private final Ticket ticket;
    private final CompletableFuture<PeerSession> winner = new CompletableFuture<>();
    private final AtomicBoolean relayStarted = new AtomicBoolean();
    private volatile Throwable directError;
    private volatile Throwable relayError;
    private volatile boolean directDone;
    private volatile boolean relayDone;

    HedgedDial(RelayClient client, Ticket ticket, Duration hedgeDelay, ScheduledExecutorService timers) {
        this.client = client;
        this.ticket = ticket;
        client.node().connectAsync(ticket).whenComplete(this::onDirect);
        timers.schedule(this::startRelay, hedgeDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onDirect(PeerSession session, Throwable error) {
        if (error == null) {
            offer(session, "direct");
            directDone = true;
            return;
        }
        directError = unwrap(error);
        directDone = true;
        if (directError instanceof PeerIdentityMismatchException) {
            winner.completeExceptionally(directError);
            return;
        }
        LOG.info("No direct address of {} answered ({}); trying its relay", ticket.nodeId().shortString(),
                directError.getMessage());
        startRelay();
        finishIfBothFailed();
    }

    private void startRelay() {
        if (winner.isDone() || !relayStarted.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("quiver-hedged-relay-" + ticket.nodeId().shortString()).start(() -> {
            try {
                offer(client.connectViaRelay(ticket), "relayed");
            } catch (IOException | PeerIdentityMismatchException | RuntimeException e) {
                relayError = e;
                if (e instanceof PeerIdentityMismatchException) {
                    winner.completeExceptionally(e);
                }
            } finally {
                relayDone = true;
                finishIfBothFailed();
            }
        });
    }

    private void offer(PeerSession session, String way) {
        if (!winner.complete(session)) {
            LOG.debug("A {} session to {} came second; closing it", way, ticket.nodeId().shortString());
            session.close();
        } else {
            LOG.debug("Connected to {} {}", ticket.nodeId().shortString(), way);
        }
    }

    private synchronized void finishIfBothFailed() {
        if (directDone && relayDone && directError != null && relayError != null) {
            winner.completeExceptionally(relayError instanceof RelayRefusedException ? relayError
                    : new DialException("cannot reach " + ticket.nodeId() + " directly (" + directError.getMessage()
                            + ") nor through its relay (" + relayError.getMessage() + ")", relayError));
        }
    }

    /** The winning session, or the reason neither way worked. */
    PeerSession await() throws IOException, PeerIdentityMismatchException {
        try {
            return winner.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + ticket.nodeId());
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof PeerIdentityMismatchException mismatch) {
                throw mismatch;
            }
            throw new DialException("cannot connect to " + ticket.nodeId() + ": " + cause, cause);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
