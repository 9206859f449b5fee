package dev.quiver.transport.relay;

import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.quic.CircuitSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ties a relay circuit's stream to this node's side of the circuit on its QUIC sockets ({@link CircuitSide}: the
 * packets themselves travel between the node's own sockets and the relay's data socket, with no thread of ours on
 * the way). The circuit stream carries nothing after set-up, so its end or reset (the relay cut the circuit, the
 * peer left) closes the side, and closing the link ends the stream.
 *
 * <p>Threads: one virtual thread watches the stream; {@link #close()} may be called from any thread.
 */
final class CircuitLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitLink.class);

    private final LogicalStream stream;
    private final CircuitSide side;
    private final String name;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private CircuitLink(LogicalStream stream, CircuitSide side, String name) {
        this.stream = stream;
        this.side = side;
        this.name = name;
    }

    /** Starts watching {@code stream}, the circuit stream of {@code side}. */
    static CircuitLink start(LogicalStream stream, CircuitSide side, String name) {
        CircuitLink link = new CircuitLink(stream, side, name);
        Thread.ofVirtual().name("quiver-relay-watch-" + name).start(link::watchStream);
        return link;
    }

    /** The peer's address as this node's QUIC connections see it: the side's virtual address. */
    InetSocketAddress peerAddress() {
        return side.virtualAddress();
    }

    /** Completes when the circuit has ended here. */
    CompletableFuture<Void> done() {
        return done;
    }

    private void watchStream() {
        try {
            if (stream.inputStream().read() >= 0) {
                LOG.debug("Circuit {}: unexpected bytes on the circuit stream", name);
            }
        } catch (IOException e) {
            LOG.debug("Circuit {}: circuit stream ended: {}", name, e.toString());
        }
        close();
    }

    /** Unregisters the side and ends the circuit stream; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        side.close();
        stream.close();
        done.complete(null);
    }
}
