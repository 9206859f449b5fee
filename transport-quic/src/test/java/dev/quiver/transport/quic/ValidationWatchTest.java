package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The re-probe request's wire form: round trips, and garbage is refused rather than misread. */
@Timeout(10)
class ValidationWatchTest {

    @Test
    void ipv4RequestHasItsLayoutAndRoundTrips() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("10.61.2.1"), 51369);
        byte[] request = ValidationWatch.encodeRequest(address);
        assertArrayEquals(new byte[] {
                1,                           // REPROBE
                4,                           // address length
                10, 61, 2, 1,                // 10.61.2.1
                (byte) 0xC8, (byte) 0xA9},   // port 51369, big-endian
                request);
        assertEquals(Optional.of(address), ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(request)));
    }

    @Test
    void ipv6RequestRoundTrips() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("fd00::61:2"), 443);
        assertEquals(Optional.of(address),
                ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(ValidationWatch.encodeRequest(address))));
    }

    @Test
    void malformedRequestsAreRefused() {
        assertTrue(ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(new byte[] {1})).isEmpty(), "too short");
        assertTrue(ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(new byte[] {1, 5, 1, 2, 3, 4, 5, 0, 1}))
                .isEmpty(), "address length 5");
        assertTrue(ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(new byte[] {1, 4, 1, 2, 3, 4, 0}))
                .isEmpty(), "truncated port");
        assertTrue(ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(new byte[] {1, 4, 1, 2, 3, 4, 0, 1, 9}))
                .isEmpty(), "trailing byte");
        assertTrue(ValidationWatch.decodeRequest(Unpooled.wrappedBuffer(new byte[] {0, 4, 1, 2, 3, 4, 0, 1}))
                .isEmpty(), "a keep-alive, not a request");
    }

    @Test
    void decodingReadsFromTheReaderIndexAndLeavesItAlone() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7);
        ByteBuf buffer = Unpooled.buffer().writeByte(99).writeBytes(ValidationWatch.encodeRequest(address));
        buffer.readByte();
        assertEquals(Optional.of(address), ValidationWatch.decodeRequest(buffer));
        assertEquals(1, buffer.readerIndex());
    }
}
