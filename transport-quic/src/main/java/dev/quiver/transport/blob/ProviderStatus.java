package dev.quiver.transport.blob;

import dev.quiver.transport.NodeId;

/**
 * One provider's part in a transfer.
 *
 * @param node the provider
 * @param bytesReceived response bytes received from it (verified or not)
 * @param rateBytesPerSecond its recent receive rate
 * @param state where it stands
 * @param reason why it was dropped (or the last transient error), else {@code null}
 */
public record ProviderStatus(NodeId node, long bytesReceived, double rateBytesPerSecond, State state,
                             String reason) {

    /** A provider's state within one transfer. */
    public enum State {
        /** Connecting, or serving ranges. */
        ACTIVE,
        /** Dropped: bad data, a length lie, extra bytes, a stall, not found, or errors beyond the retry budget. */
        DROPPED,
        /** Stayed until the transfer finished. */
        DONE
    }
}
