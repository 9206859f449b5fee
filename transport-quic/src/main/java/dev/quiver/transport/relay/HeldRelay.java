package dev.quiver.transport.relay;

import dev.quiver.transport.RelayAddress;

import java.util.concurrent.CompletableFuture;

/** A relay slot the acquisition driver holds ({@link RelayReservation} is the real one). */
public interface HeldRelay extends AutoCloseable {

    /** The relay holding the slot. */
    RelayAddress relay();

    /** The health check (renewing when due); false means the slot is lost. Never throws. */
    boolean check();

    /** Completes when the connection to the relay is lost. */
    CompletableFuture<?> lost();

    /** Releases the slot; never throws. */
    @Override
    void close();
}
