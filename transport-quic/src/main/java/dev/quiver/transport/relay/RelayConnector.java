package dev.quiver.transport.relay;

import dev.quiver.transport.RelayAddress;

import java.io.IOException;
import java.time.Duration;

/** Acquires relay slots for the acquisition driver ({@link RelayClient} is the real one). */
@FunctionalInterface
public interface RelayConnector {

    /**
     * Reserves a slot at {@code candidate} for {@code ttl}.
     *
     * @throws IOException if the relay cannot be reached or refuses
     */
    HeldRelay acquire(RelayAddress candidate, Duration ttl) throws IOException;
}
