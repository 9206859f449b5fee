package dev.quiver.transport.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CircuitDatagramTest {
    private static final byte[] PACKET = {9, 8, 7, 6, 5};

    @Test
    @Timeout(5)
    void idsRoundTripWithTheShortestVarint() {
        int[] ids = {0, 63, 64, 16383, 16384, CircuitDatagram.MAX_CIRCUIT_ID};
        int[] prefixes = {2, 2, 3, 3, 5, 5};
        for (int i = 0; i < ids.length; i++) {
            ByteBuf d = CircuitDatagram.encode(UnpooledByteBufAllocator.DEFAULT, ids[i], PACKET, 0, PACKET.length);
            try {
                assertEquals(CircuitDatagram.TYPE, d.getByte(0));
                assertEquals(ids[i], CircuitDatagram.circuitId(d));
                assertEquals(prefixes[i], CircuitDatagram.prefixBytesOf(d));
                assertEquals(prefixes[i], CircuitDatagram.prefixBytes(ids[i]));
                byte[] packet = new byte[d.readableBytes() - prefixes[i]];
                d.getBytes(prefixes[i], packet);
                assertArrayEquals(PACKET, packet);
            } finally {
                d.release();
            }
        }
    }

    @Test
    @Timeout(5)
    void garbageIsNotACircuitDatagram() {
        byte[][] garbage = {
            {},
            {1},
            {1, 5},                           // no packet after the ID
            {0, 5, 1},                        // keep-alive type
            {2, 5, 1},                        // unknown type
            {1, 0x40, 1},                     // two-byte varint cut short of a packet
            {1, (byte) 0x80, 0, 0},           // four-byte varint truncated
            {1, (byte) 0xC0, 0, 0, 0, 0, 0, 0, 0, 1}, // eight-byte varint: IDs never need one
        };
        for (byte[] g : garbage) {
            assertEquals(-1, CircuitDatagram.circuitId(Unpooled.wrappedBuffer(g)), java.util.Arrays.toString(g));
        }
    }
}
