package dev.quiver.transport.session;

import dev.quiver.codec.frame.AddressUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Address updates of one session (issue 7, item 4): numbers the sets this side announces, keeps the newest set the
 * peer announced (updates go on every path, so an older one may arrive last and is ignored) and tells listeners of
 * it on a virtual thread, never on the event loop.
 *
 * <p>Thread-safe (announcements come from application threads, updates from the event loop).
 */
final class SessionAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(SessionAddresses.class);

    private final Session session;
    private final List<Consumer<List<AddressUpdate.Entry>>> listeners = new CopyOnWriteArrayList<>();
    private long nextSequence;
    private AddressUpdate latest;

    SessionAddresses(Session session) {
        this.session = session;
    }

    /** The next update this side announces. */
    synchronized AddressUpdate next(List<AddressUpdate.Entry> entries) {
        return new AddressUpdate(nextSequence++, entries);
    }

    /** Calls {@code listener} with every newer set from the peer, at once with the newest if one arrived. */
    void listen(Consumer<List<AddressUpdate.Entry>> listener) {
        listeners.add(listener);
        AddressUpdate now;
        synchronized (this) {
            now = latest;
        }
        if (now != null) {
            deliver(listener, now);
        }
    }

    /** An update from the peer (event loop). */
    void onPeerUpdate(AddressUpdate update) {
        synchronized (this) {
            if (latest != null && update.sequence() <= latest.sequence()) {
                return;
            }
            latest = update;
        }
        LOG.debug("{}: the peer's addresses are now {}", session, update.entries());
        for (Consumer<List<AddressUpdate.Entry>> listener : listeners) {
            deliver(listener, update);
        }
    }

    private static void deliver(Consumer<List<AddressUpdate.Entry>> listener, AddressUpdate update) {
        Thread.ofVirtual().name("quiver-address-update").start(() -> {
            try {
                listener.accept(update.entries());
            } catch (RuntimeException e) {
                LOG.warn("An address-update listener failed", e);
            }
        });
    }
}
