package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The circuit handler on an {@link EmbeddedChannel} (an extra beside the relay ITs, which run it on real sockets):
 * what it makes of outbound plain and GSO datagrams to a virtual address, of inbound datagrams from the relay, and
 * of everything it must leave alone or drop.
 */
@Timeout(10)
class CircuitHandlerTest {
    private static final InetSocketAddress RELAY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 41_000);
    private static final byte[] TOKEN = bytes(16, 1);

    private CircuitTable table;
    private EmbeddedChannel channel;
    private CircuitSide side;

    @BeforeEach
    void setUp() {
        table = new CircuitTable();
        channel = new EmbeddedChannel(new CircuitHandler(table));
        side = table.register(RELAY, TOKEN);
    }

    @AfterEach
    void tearDown() {
        side.close();
        assertFalse(channel.finishAndReleaseAll(), "every message was read by the test");
    }

    @Test
    void virtualAddressesAreDistinctInTheDiscardPrefixAndTokensAreUnique() {
        CircuitSide other = table.register(RELAY, bytes(16, 50));
        try {
            assertNotEquals(side.virtualAddress(), other.virtualAddress());
            assertTrue(CircuitTable.isVirtual(side.virtualAddress()));
            assertEquals("/100:0:0:0:0:0:0:1", side.virtualAddress().getAddress().toString());
            assertFalse(CircuitTable.isVirtual(RELAY));
            assertFalse(CircuitTable.isVirtual(new InetSocketAddress("100:0:0:1::1", 1)), "outside the /64");
            assertThrows(IllegalArgumentException.class, () -> table.register(RELAY, TOKEN), "token twice");
            assertThrows(IllegalArgumentException.class, () -> table.register(RELAY, new byte[15]), "short token");
        } finally {
            other.close();
        }
    }

    @Test
    void outboundDatagramGetsTheTokenAndGoesToTheRelay() {
        byte[] packet = bytes(1200, 7);
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(packet), side.virtualAddress()));
        DatagramPacket out = channel.readOutbound();
        try {
            assertEquals(RELAY, out.recipient());
            assertArrayEquals(concat(TOKEN, packet), ByteBufUtil.getBytes(out.content()));
        } finally {
            out.release();
        }
        assertNull(channel.readOutbound());
    }

    @Test
    void gsoBatchGetsATokenPerSegmentAndALargerSegmentSize() {
        // Three full segments of 100 bytes and a short last one of 40.
        byte[] content = bytes(340, 3);
        channel.writeOutbound(new SegmentedDatagramPacket(Unpooled.wrappedBuffer(content), 100,
                side.virtualAddress()));
        SegmentedDatagramPacket out = assertInstanceOf(SegmentedDatagramPacket.class, channel.readOutbound());
        try {
            assertEquals(RELAY, out.recipient());
            assertEquals(116, out.segmentSize());
            byte[] expected = concat(TOKEN, Arrays.copyOfRange(content, 0, 100), TOKEN,
                    Arrays.copyOfRange(content, 100, 200), TOKEN, Arrays.copyOfRange(content, 200, 300), TOKEN,
                    Arrays.copyOfRange(content, 300, 340));
            assertArrayEquals(expected, ByteBufUtil.getBytes(out.content()));
        } finally {
            out.release();
        }
        assertNull(channel.readOutbound());
    }

    @Test
    void gsoBatchThatWouldPassTheKernelLimitIsSplit() {
        // 54 segments of 1200 fit the limit; 54 of 1216 do not (65 664 > 65 000): 53 + 1.
        int segments = UdpTransport.GSO_MAX_BYTES / 1200;
        byte[] content = bytes(segments * 1200, 9);
        channel.writeOutbound(new SegmentedDatagramPacket(Unpooled.wrappedBuffer(content), 1200,
                side.virtualAddress()));
        SegmentedDatagramPacket first = assertInstanceOf(SegmentedDatagramPacket.class, channel.readOutbound());
        DatagramPacket second = channel.readOutbound();
        try {
            assertEquals(1216, first.segmentSize());
            int firstSegments = UdpTransport.GSO_MAX_BYTES / 1216;
            assertEquals(firstSegments * 1216, first.content().readableBytes());
            assertTrue(first.content().readableBytes() <= UdpTransport.GSO_MAX_BYTES);
            assertFalse(second instanceof SegmentedDatagramPacket, "a single segment goes as a plain datagram");
            assertEquals(RELAY, second.recipient());
            assertArrayEquals(concat(TOKEN, Arrays.copyOfRange(content, firstSegments * 1200, content.length)),
                    ByteBufUtil.getBytes(second.content()));
            byte[] firstBytes = ByteBufUtil.getBytes(first.content());
            for (int i = 0; i < firstSegments; i++) {
                assertArrayEquals(TOKEN, Arrays.copyOfRange(firstBytes, i * 1216, i * 1216 + 16), "token " + i);
                assertArrayEquals(Arrays.copyOfRange(content, i * 1200, (i + 1) * 1200),
                        Arrays.copyOfRange(firstBytes, i * 1216 + 16, (i + 1) * 1216), "segment " + i);
            }
        } finally {
            first.release();
            second.release();
        }
        assertNull(channel.readOutbound());
    }

    @Test
    void inboundDatagramUnderAKnownTokenLosesItAndComesFromTheVirtualAddress() {
        byte[] packet = bytes(500, 4);
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(concat(TOKEN, packet)), LOCAL, RELAY));
        DatagramPacket in = channel.readInbound();
        try {
            assertEquals(side.virtualAddress(), in.sender());
            assertEquals(LOCAL, in.recipient());
            assertArrayEquals(packet, ByteBufUtil.getBytes(in.content()));
            // Netty's QUIC header parser reads from index 0, not from the reader index.
            assertEquals(0, in.content().readerIndex(), "the packet starts at the buffer's index 0");
        } finally {
            in.release();
        }
        assertTrue(side.heardFromRelay());
    }

    @Test
    void inboundGroBatchIsSplitAndEachSegmentTranslated() {
        byte[] one = concat(TOKEN, bytes(84, 1));
        byte[] two = concat(TOKEN, bytes(30, 2));
        channel.writeInbound(new SegmentedDatagramPacket(Unpooled.wrappedBuffer(concat(one, two)), 100, LOCAL,
                RELAY));
        for (byte[] expected : new byte[][] {one, two}) {
            DatagramPacket in = channel.readInbound();
            try {
                assertEquals(side.virtualAddress(), in.sender());
                assertArrayEquals(Arrays.copyOfRange(expected, 16, expected.length),
                        ByteBufUtil.getBytes(in.content()));
            } finally {
                in.release();
            }
        }
        assertNull(channel.readInbound());
    }

    @Test
    void foreignDatagramsPassThroughUntouched() {
        InetSocketAddress stranger = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001);
        DatagramPacket unknownToken = new DatagramPacket(Unpooled.wrappedBuffer(bytes(100, 90)), LOCAL, RELAY);
        DatagramPacket shortOne = new DatagramPacket(Unpooled.wrappedBuffer(bytes(15, 1)), LOCAL, RELAY);
        DatagramPacket notFromRelay = new DatagramPacket(Unpooled.wrappedBuffer(concat(TOKEN, bytes(10, 1))), LOCAL,
                stranger);
        for (DatagramPacket packet : new DatagramPacket[] {unknownToken, shortOne, notFromRelay}) {
            int length = packet.content().readableBytes();
            channel.writeInbound(packet);
            DatagramPacket in = channel.readInbound();
            try {
                assertSame(packet, in);
                assertEquals(length, in.content().readableBytes());
            } finally {
                in.release();
            }
        }
        assertFalse(side.heardFromRelay(), "no datagram came from the relay under the token");
        DatagramPacket direct = new DatagramPacket(Unpooled.wrappedBuffer(bytes(50, 1)), stranger);
        channel.writeOutbound(direct);
        DatagramPacket out = channel.readOutbound();
        assertSame(direct, out);
        out.release();
    }

    @Test
    void tokenAloneFromTheRelayBindsAndReachesNobody() {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(TOKEN.clone()), LOCAL, RELAY));
        assertNull(channel.readInbound());
        assertTrue(side.heardFromRelay());
    }

    @Test
    void datagramToAVirtualAddressWithoutACircuitIsDropped() {
        InetSocketAddress gone = side.virtualAddress();
        side.close();
        ByteBuf content = Unpooled.directBuffer().writeBytes(bytes(100, 1));
        channel.writeOutbound(new DatagramPacket(content, gone));
        assertNull(channel.readOutbound(), "never sent");
        assertEquals(0, content.refCnt(), "released");
        assertEquals(1, table.droppedDatagrams());
        // The relay's datagrams under the old token are not translated any more.
        DatagramPacket late = new DatagramPacket(Unpooled.wrappedBuffer(concat(TOKEN, bytes(10, 1))), LOCAL, RELAY);
        channel.writeInbound(late);
        DatagramPacket in = channel.readInbound();
        assertSame(late, in);
        in.release();
    }

    @Test
    void bindDatagramsRepeatUntilTheRelayForwardsSomething() {
        side.startBinding(channel.pipeline().context(CircuitHandler.class));
        channel.runPendingTasks();
        for (int i = 0; i < 3; i++) {
            DatagramPacket bind = channel.readOutbound();
            try {
                assertEquals(RELAY, bind.recipient());
                assertArrayEquals(TOKEN, ByteBufUtil.getBytes(bind.content()));
            } finally {
                bind.release();
            }
            channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        DatagramPacket fourth = channel.readOutbound();
        fourth.release();
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(concat(TOKEN, bytes(20, 1))), LOCAL, RELAY));
        DatagramPacket in = channel.readInbound();
        in.release();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "no bind datagram once the relay has forwarded one");
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i * 31);
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
