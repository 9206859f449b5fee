package dev.quiver.transport.relay;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The 16-byte random token that names one side of a relay circuit on the relay's UDP data socket (like a TURN
 * channel, RFC 8656 §12, but unguessable: 128 random bits). A circuit datagram is the token followed by one inner
 * QUIC packet:
 * <pre>
 * +----------------+--------------------------------------+
 * | token (16)     | inner QUIC packet (0..{@value #MAX_PACKET_BYTES}) |
 * +----------------+--------------------------------------+
 * </pre>
 * A datagram that is only a token (no packet) binds the sender's address to its side of the circuit and is not
 * forwarded. The relay rewrites the token to the receiving side's own token before forwarding, so each node only
 * ever sees and sends its own token.
 *
 * @param hi the token's first 8 bytes (big-endian)
 * @param lo the token's last 8 bytes (big-endian)
 */
record CircuitToken(long hi, long lo) {
    /** Bytes of a token on the wire. */
    static final int BYTES = 16;
    /** Largest inner packet a circuit datagram carries: the largest UDP payload quiche sends. */
    static final int MAX_PACKET_BYTES = dev.quiver.transport.QuicConfig.MAX_UDP_PAYLOAD_BYTES;
    /** Largest circuit datagram: token and the largest packet. */
    static final int MAX_DATAGRAM_BYTES = BYTES + MAX_PACKET_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random token. */
    static CircuitToken random() {
        return new CircuitToken(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /**
     * The token at the start of a received datagram ({@code datagram} flipped: position 0, limit its length).
     *
     * @throws RelayProtocolException if the datagram is shorter than a token or longer than
     *         {@link #MAX_DATAGRAM_BYTES}
     */
    static CircuitToken read(ByteBuffer datagram) throws RelayProtocolException {
        int length = datagram.remaining();
        if (length < BYTES || length > MAX_DATAGRAM_BYTES) {
            throw new RelayProtocolException("circuit datagram of " + length + " bytes outside " + BYTES + ".."
                    + MAX_DATAGRAM_BYTES);
        }
        int at = datagram.position();
        return new CircuitToken(datagram.getLong(at), datagram.getLong(at + 8));
    }

    /** Writes this token at {@code datagram[0..16)} (absolute; the buffer's position is unchanged). */
    void write(ByteBuffer datagram) {
        datagram.putLong(0, hi).putLong(8, lo);
    }

    /** The token's 16 bytes (a fresh array). */
    byte[] bytes() {
        byte[] bytes = new byte[BYTES];
        write(ByteBuffer.wrap(bytes));
        return bytes;
    }

    /** Never shows the token's bytes: a token in a log would let a reader of the log inject into the circuit. */
    @Override
    public String toString() {
        return "CircuitToken[redacted]";
    }
}
