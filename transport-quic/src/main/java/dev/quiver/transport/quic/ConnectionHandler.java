package dev.quiver.transport.quic;

import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * What the layer above (sessions) does with connections and peer-opened streams. All callbacks run on the
 * connection's event loop and must not block.
 */
public interface ConnectionHandler {
    /** A connection, dialed or accepted, has completed its handshake; {@code connection.peer()} is authenticated. */
    void onConnection(QuicConnection connection);

    /**
     * The peer opened {@code stream} on {@code connection}. Add handlers to its pipeline here; reading starts
     * after this returns.
     */
    void onStream(QuicConnection connection, QuicStreamChannel stream);

    /** {@code connection} has closed, for whatever reason. */
    default void onClosed(QuicConnection connection) {
    }

    /** A handler that closes every peer-opened stream, for endpoints that only dial. */
    ConnectionHandler REJECT_STREAMS = new ConnectionHandler() {
        @Override
        public void onConnection(QuicConnection connection) {
        }

        @Override
        public void onStream(QuicConnection connection, QuicStreamChannel stream) {
            stream.close();
        }
    };
}
