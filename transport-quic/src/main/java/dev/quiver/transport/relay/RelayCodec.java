package dev.quiver.transport.relay;

import dev.quiver.transport.NodeId;
import dev.quiver.transport.relay.RelayMessage.Accepted;
import dev.quiver.transport.relay.RelayMessage.Connect;
import dev.quiver.transport.relay.RelayMessage.Incoming;
import dev.quiver.transport.relay.RelayMessage.Ping;
import dev.quiver.transport.relay.RelayMessage.Pong;
import dev.quiver.transport.relay.RelayMessage.Refused;
import dev.quiver.transport.relay.RelayMessage.Reserve;
import dev.quiver.transport.relay.RelayMessage.Reserved;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Wire form of {@link RelayMessage}s (big-endian):
 * <pre>
 * +---------+-----------+------------------+
 * | type u8 | length u8 | body (length)    |
 * +---------+-----------+------------------+
 * 1 RESERVE   ttlSeconds u32
 * 2 RESERVED  ttlSeconds u32
 * 3 REFUSED   reason u16 ({@link RelayRefusal#code()})
 * 4 PING      nonce u64
 * 5 PONG      nonce u64, ttlLeftSeconds u32
 * 6 CONNECT   target node ID (32)
 * 7 INCOMING  initiator node ID (32) [, token (16), data port u16]
 * 8 ACCEPTED  [token (16), data port u16]
 * </pre>
 * Every type has one or two fixed body lengths (INCOMING and ACCEPTED: without or with a {@link CircuitGrant}; the
 * short forms are the legacy ones); the decoder checks the length before reading the body, so garbage becomes a
 * {@link RelayProtocolException} after at most {@value #MAX_MESSAGE_BYTES} bytes.
 */
final class RelayCodec {
    /** The subprotocol service ID of the reservation stream. */
    static final int SERVICE_ID = 0x1200;
    /** Largest encoded message. */
    static final int MAX_MESSAGE_BYTES = 2 + NodeId.LENGTH_BYTES + CircuitGrant.BYTES;

    private static final int RESERVE = 1;
    private static final int RESERVED = 2;
    private static final int REFUSED = 3;
    private static final int PING = 4;
    private static final int PONG = 5;
    private static final int CONNECT = 6;
    private static final int INCOMING = 7;
    private static final int ACCEPTED = 8;

    private RelayCodec() {
    }

    /** The encoded form of {@code message}. */
    static byte[] encode(RelayMessage message) {
        ByteBuffer out = ByteBuffer.allocate(MAX_MESSAGE_BYTES);
        switch (message) {
            case Reserve r -> out.put((byte) RESERVE).put((byte) 4).putInt(r.ttlSeconds());
            case Reserved r -> out.put((byte) RESERVED).put((byte) 4).putInt(r.ttlSeconds());
            case Refused r -> out.put((byte) REFUSED).put((byte) 2).putShort((short) r.reason().code());
            case Ping p -> out.put((byte) PING).put((byte) 8).putLong(p.nonce());
            case Pong p -> out.put((byte) PONG).put((byte) 12).putLong(p.nonce()).putInt(p.ttlLeftSeconds());
            case Connect c -> out.put((byte) CONNECT).put((byte) NodeId.LENGTH_BYTES).put(c.target().toBytes());
            case Incoming i -> {
                out.put((byte) INCOMING).put((byte) (NodeId.LENGTH_BYTES + grantBytes(i.grant())))
                        .put(i.initiator().toBytes());
                putGrant(out, i.grant());
            }
            case Accepted a -> putGrant(out.put((byte) ACCEPTED).put((byte) grantBytes(a.grant())), a.grant());
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /**
     * Reads one message.
     *
     * @throws EOFException if the stream ends before a message starts or inside one
     * @throws RelayProtocolException if the type is unknown, the length wrong for it, or a field invalid
     */
    static RelayMessage read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("relay stream ended before a message");
        }
        int length = in.read();
        if (length < 0) {
            throw new EOFException("relay stream ended inside a message header");
        }
        checkLength(type, length);
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("relay stream ended inside a message body");
        }
        return body(type, body);
    }

    /**
     * Takes one whole message from the front of {@code buffered} (flipped: position at the first unread byte),
     * advancing its position past it; empty while the message is incomplete (position unchanged). A header is
     * checked as soon as its two bytes are there, so garbage fails at once, never after more input.
     *
     * @throws RelayProtocolException if the type is unknown, the length wrong for it, or a field invalid
     */
    static Optional<RelayMessage> take(ByteBuffer buffered) throws RelayProtocolException {
        if (buffered.remaining() < 2) {
            return Optional.empty();
        }
        int at = buffered.position();
        int type = buffered.get(at) & 0xFF;
        int length = buffered.get(at + 1) & 0xFF;
        checkLength(type, length);
        if (buffered.remaining() < 2 + length) {
            return Optional.empty();
        }
        byte[] body = new byte[length];
        buffered.position(at + 2).get(body);
        return Optional.of(body(type, body));
    }

    private static void checkLength(int type, int length) throws RelayProtocolException {
        int expected = switch (type) {
            case RESERVE, RESERVED -> 4;
            case REFUSED -> 2;
            case PING -> 8;
            case PONG -> 12;
            case CONNECT -> NodeId.LENGTH_BYTES;
            case INCOMING -> length == NodeId.LENGTH_BYTES ? length : NodeId.LENGTH_BYTES + CircuitGrant.BYTES;
            case ACCEPTED -> length == 0 ? 0 : CircuitGrant.BYTES;
            default -> throw new RelayProtocolException("unknown relay message type " + type);
        };
        if (length != expected) {
            throw new RelayProtocolException("relay message type " + type + " has length " + length
                    + ", expected " + expected);
        }
    }

    /** The message of {@code type} from its body (its length already checked). */
    private static RelayMessage body(int type, byte[] body) throws RelayProtocolException {
        ByteBuffer b = ByteBuffer.wrap(body);
        return switch (type) {
            case RESERVE -> new Reserve(nonNegative(b.getInt(), "ttlSeconds"));
            case RESERVED -> new Reserved(nonNegative(b.getInt(), "ttlSeconds"));
            case REFUSED -> {
                int code = b.getShort() & 0xFFFF;
                yield new Refused(RelayRefusal.ofCode(code).orElseThrow(
                        () -> new RelayProtocolException("unknown relay refusal code " + code)));
            }
            case PING -> new Ping(b.getLong());
            case PONG -> new Pong(b.getLong(), nonNegative(b.getInt(), "ttlLeftSeconds"));
            case CONNECT -> new Connect(NodeId.of(body));
            case INCOMING -> new Incoming(NodeId.of(Arrays.copyOf(body, NodeId.LENGTH_BYTES)),
                    getGrant(b.position(NodeId.LENGTH_BYTES)));
            default -> new Accepted(getGrant(b));
        };
    }

    private static int grantBytes(Optional<CircuitGrant> grant) {
        return grant.isPresent() ? CircuitGrant.BYTES : 0;
    }

    private static ByteBuffer putGrant(ByteBuffer out, Optional<CircuitGrant> grant) {
        grant.ifPresent(g -> out.putLong(g.token().hi()).putLong(g.token().lo()).putShort((short) g.dataPort()));
        return out;
    }

    /** The grant in the rest of {@code b}, if any (the length was checked: 0 or {@link CircuitGrant#BYTES}). */
    private static Optional<CircuitGrant> getGrant(ByteBuffer b) throws RelayProtocolException {
        if (!b.hasRemaining()) {
            return Optional.empty();
        }
        CircuitToken token = new CircuitToken(b.getLong(), b.getLong());
        int port = b.getShort() & 0xFFFF;
        if (port == 0) {
            throw new RelayProtocolException("relay circuit grant names data port 0");
        }
        return Optional.of(new CircuitGrant(token, port));
    }

    private static int nonNegative(int value, String field) throws RelayProtocolException {
        if (value < 0) {
            throw new RelayProtocolException("relay message field " + field + " is negative: " + value);
        }
        return value;
    }
}
