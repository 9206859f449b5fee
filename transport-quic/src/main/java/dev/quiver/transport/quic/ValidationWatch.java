package dev.quiver.transport.quic;

import dev.quiver.transport.PathEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Server side of an accepted connection: watches the validation of the client's newest address and, when quiche
 * lets it go silent, asks the client to move again.
 *
 * <p>Why: quiche re-sends a PATH_CHALLENGE only from a loss-detection timeout on the new path
 * ({@code Path::on_loss_detection_timeout}), and PATH_RESPONSE is never retransmitted (RFC 9000 §8.2.2). When
 * the packet carrying either frame is lost while the path otherwise works (acknowledgements keep arriving, so no
 * timeout fires), the path stays in quiche's {@code Validating} state for good: NEW and
 * REUSED_SOURCE_CONNECTION_ID, then neither VALIDATED nor FAILED_VALIDATION. Returning to that address does not
 * help either (a path under validation is not challenged again), but a fresh address is a new path with a fresh
 * challenge. So after {@link #PATIENCE_NS} without VALIDATED (or at once on FAILED_VALIDATION) this sends the
 * client a {@link ConnectionLifecycle#REPROBE} DATAGRAM naming the address ({@link #encodeRequest}), and the
 * client's endpoint moves its socket to a new port on the same address; the next NEW restarts the watch. At most
 * {@link #MAX_REQUESTS} requests per address; the listener's larger {@code active_connection_id_limit} leaves
 * quiche room for those paths.
 *
 * <p>Thread ownership: the connection's event loop.
 */
final class ValidationWatch {
    /** How long a new client address may stay unvalidated; a healthy validation takes one RTT plus scheduling. */
    static final long PATIENCE_NS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Requests per client address before giving up (session resumption is the last resort). */
    static final int MAX_REQUESTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ValidationWatch.class);

    private final QuicChannel channel;
    private InetSocketAddress pending;
    private int requests;
    private ScheduledFuture<?> check;

    ValidationWatch(QuicChannel channel) {
        this.channel = channel;
    }

    /** Feeds a path event of the connection (server side). */
    void onPathEvent(PathEvent event) {
        switch (event.kind()) {
            case NEW -> {
                // The client's newest address is the one it sends from; an older one it left needs no validation.
                stop();
                pending = event.remote();
                requests = 0;
                schedule();
            }
            case VALIDATED, PEER_MIGRATED -> {
                if (event.remote().equals(pending)) {
                    stop();
                }
            }
            case FAILED_VALIDATION -> {
                if (event.remote().equals(pending)) {
                    cancelCheck();
                    request();
                }
            }
            default -> {
            }
        }
    }

    /** Stops watching (the connection closed). */
    void close() {
        stop();
    }

    private void schedule() {
        cancelCheck();
        check = channel.eventLoop().schedule(this::request, PATIENCE_NS, TimeUnit.NANOSECONDS);
    }

    private void request() {
        check = null;
        if (pending == null || !channel.isActive()) {
            return;
        }
        if (requests == MAX_REQUESTS) {
            LOG.warn("Client address {} of {} still not validated after {} requests to move again; giving up",
                    pending, channel.remoteSocketAddress(), requests);
            pending = null;
            return;
        }
        requests++;
        LOG.info("Client address {} not validated; asking the client to move again ({}/{})", pending, requests,
                MAX_REQUESTS);
        channel.writeAndFlush(Unpooled.wrappedBuffer(encodeRequest(pending))).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("Re-probe request to {} failed: {}", channel.remoteSocketAddress(), f.cause().toString());
            }
        });
        schedule();
    }

    /**
     * The request: {@link ConnectionLifecycle#REPROBE}, the address's length (4 or 16), its bytes and the port
     * (big-endian). The client ignores a request that names an address it has already left: the request was on
     * its way while the client moved for an earlier one.
     */
    static byte[] encodeRequest(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] request = new byte[2 + ip.length + 2];
        request[0] = ConnectionLifecycle.REPROBE;
        request[1] = (byte) ip.length;
        System.arraycopy(ip, 0, request, 2, ip.length);
        request[2 + ip.length] = (byte) (address.getPort() >>> 8);
        request[3 + ip.length] = (byte) address.getPort();
        return request;
    }

    /** The address a request names, or empty if the bytes are not a well-formed request. */
    static Optional<InetSocketAddress> decodeRequest(ByteBuf request) {
        int length = request.readableBytes();
        int start = request.readerIndex();
        if (length < 2 || request.getByte(start) != ConnectionLifecycle.REPROBE) {
            return Optional.empty();
        }
        int ipLength = request.getUnsignedByte(start + 1);
        if ((ipLength != 4 && ipLength != 16) || length != 2 + ipLength + 2) {
            return Optional.empty();
        }
        byte[] ip = new byte[ipLength];
        request.getBytes(start + 2, ip);
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(ip),
                    request.getUnsignedShort(start + 2 + ipLength)));
        } catch (UnknownHostException e) {
            return Optional.empty(); // unreachable: the length is 4 or 16
        }
    }

    private void stop() {
        cancelCheck();
        pending = null;
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
