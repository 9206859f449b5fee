package dev.quiver.transport.relay;

import dev.quiver.transport.QuicConfig;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * How a circuit stream carries QUIC packets between a node and the relay: each packet is a 2-byte big-endian
 * length and the packet bytes.
 * <pre>
 * +------------+---------------------------+
 * | length u16 | QUIC packet (length bytes)|   repeated until the stream ends
 * +------------+---------------------------+
 * </pre>
 * The length is capped at {@link #MAX_PACKET_BYTES} (quiche never sends larger UDP payloads) and zero is refused,
 * so a reader allocates nothing beyond one packet buffer. The relay never parses this framing: it splices bytes.
 */
final class PacketFraming {
    /** Largest packet a circuit carries: the largest UDP payload quiche sends. */
    static final int MAX_PACKET_BYTES = QuicConfig.MAX_UDP_PAYLOAD_BYTES;
    /** Bytes of the length prefix. */
    static final int HEADER_BYTES = 2;

    private PacketFraming() {
    }

    /** Writes the prefix of a {@code length}-byte packet into {@code frame[0..2)}. */
    static void putLength(byte[] frame, int length) {
        if (length < 1 || length > MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("packet length " + length + " outside 1.." + MAX_PACKET_BYTES);
        }
        frame[0] = (byte) (length >>> 8);
        frame[1] = (byte) length;
    }

    /**
     * Reads one packet into {@code buf} (at least {@link #MAX_PACKET_BYTES} long).
     *
     * @return the packet length, or -1 if the stream ended cleanly between packets
     * @throws RelayProtocolException if the length is 0 or above the cap
     * @throws EOFException if the stream ends inside a packet
     */
    static int readPacket(InputStream in, byte[] buf) throws IOException {
        int hi = in.read();
        if (hi < 0) {
            return -1;
        }
        int lo = in.read();
        if (lo < 0) {
            throw new EOFException("circuit stream ended inside a packet length");
        }
        int length = hi << 8 | lo;
        if (length < 1 || length > MAX_PACKET_BYTES) {
            throw new RelayProtocolException("circuit packet length " + length + " outside 1.." + MAX_PACKET_BYTES);
        }
        int read = in.readNBytes(buf, 0, length);
        if (read != length) {
            throw new EOFException("circuit stream ended inside a packet (" + read + " of " + length + " bytes)");
        }
        return length;
    }
}
