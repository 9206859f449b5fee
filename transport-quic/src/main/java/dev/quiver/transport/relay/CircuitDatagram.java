package dev.quiver.transport.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The QUIC DATAGRAM (RFC 9221) that carries one inner QUIC packet of a circuit on a node's outer connection to the
 * relay, in the manner of MASQUE's HTTP datagrams (RFC 9297 §2.1: a context ID ahead of the payload):
 * <pre>
 * +------------+--------------------------+---------------------+
 * | type 0x01  | circuit ID (QUIC varint) | inner QUIC packet   |
 * +------------+--------------------------+---------------------+
 * </pre>
 * The type byte keeps circuit datagrams apart from keep-alives (type 0). The relay assigns the circuit ID, and
 * forwards the datagram unchanged to the circuit's other node (both ends use the same ID).
 */
final class CircuitDatagram {
    /** First byte of a circuit datagram. */
    static final byte TYPE = 1;
    /** Largest circuit ID: four-byte varints only (RFC 9000 §16), so the prefix is at most 5 bytes. */
    static final int MAX_CIRCUIT_ID = (1 << 30) - 1;

    private CircuitDatagram() {
    }

    /** Bytes ahead of the inner packet for {@code circuitId}. */
    static int prefixBytes(int circuitId) {
        return 1 + (circuitId < 64 ? 1 : circuitId < 16384 ? 2 : 4);
    }

    /** A datagram of {@code packet[offset, offset + length)} for {@code circuitId}, from {@code alloc}. */
    static ByteBuf encode(ByteBufAllocator alloc, int circuitId, byte[] packet, int offset, int length) {
        ByteBuf out = alloc.directBuffer(prefixBytes(circuitId) + length);
        out.writeByte(TYPE);
        if (circuitId < 64) {
            out.writeByte(circuitId);
        } else if (circuitId < 16384) {
            out.writeShort(0x4000 | circuitId);
        } else {
            out.writeInt(0x8000_0000 | circuitId);
        }
        out.writeBytes(packet, offset, length);
        return out;
    }

    /**
     * The circuit ID of {@code datagram} (reader index untouched), or -1 if it is not a well-formed circuit
     * datagram with a non-empty packet (wrong type, truncated varint, 8-byte varint, nothing after the prefix).
     */
    static int circuitId(ByteBuf datagram) {
        int at = datagram.readerIndex();
        int readable = datagram.readableBytes();
        if (readable < 3 || datagram.getByte(at) != TYPE) {
            return -1;
        }
        int first = datagram.getUnsignedByte(at + 1);
        int length = 1 << (first >>> 6);
        if (length > 4 || readable < 1 + length + 1) {
            return -1;
        }
        int id = first & 0x3F;
        for (int i = 1; i < length; i++) {
            id = (id << 8) | datagram.getUnsignedByte(at + 1 + i);
        }
        return id;
    }

    /** Bytes ahead of the inner packet in a datagram that {@link #circuitId} accepted. */
    static int prefixBytesOf(ByteBuf datagram) {
        return 1 + (1 << (datagram.getUnsignedByte(datagram.readerIndex() + 1) >>> 6));
    }
}
