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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay messages' wire form: literals, round trips, and garbage turned into typed exceptions. */
@Timeout(10)
class RelayCodecTest {
    private static final NodeId NODE = NodeId.of(filled(0x5A));

    private static byte[] filled(int value) {
        byte[] b = new byte[NodeId.LENGTH_BYTES];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static RelayMessage read(byte[] bytes) throws IOException {
        return RelayCodec.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void reserveAndRefusedHaveTheDocumentedBytes() {
        assertArrayEquals(new byte[] {
            1,              // type RESERVE
            4,              // body length
            0, 0, 0, 120,   // ttlSeconds
        }, RelayCodec.encode(new Reserve(120)));
        assertArrayEquals(new byte[] {
            3,              // type REFUSED
            2,              // body length
            0, 1,           // reason NO_RESERVATION
        }, RelayCodec.encode(new Refused(RelayRefusal.NO_RESERVATION)));
        assertArrayEquals(new byte[] {8, 0}, RelayCodec.encode(new Accepted()));
    }

    @Test
    void everyMessageRoundTrips() throws IOException {
        List<RelayMessage> all = List.of(new Reserve(1), new Reserved(600), new Ping(-7), new Pong(42, 3),
                new Connect(NODE), new Incoming(NODE), new Accepted());
        for (RelayMessage m : all) {
            assertEquals(m, read(RelayCodec.encode(m)));
        }
        for (RelayRefusal r : RelayRefusal.values()) {
            assertEquals(new Refused(r), read(RelayCodec.encode(new Refused(r))));
            assertEquals(r, RelayRefusal.ofResetCode(r.resetCode()).orElseThrow());
        }
    }

    @Test
    void garbageBecomesTypedExceptions() {
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {99, 0}), "unknown type");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {6, (byte) 255}), "CONNECT length cap");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {1, 5, 0, 0, 0, 0, 0}), "wrong length");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {3, 2, 0x7F, 0}), "unknown reason");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {1, 4, (byte) 0x80, 0, 0, 0}),
                "negative TTL");
        assertThrows(EOFException.class, () -> read(new byte[] {}), "empty");
        assertThrows(EOFException.class, () -> read(new byte[] {6}), "header cut");
        assertThrows(EOFException.class, () -> read(new byte[] {6, 32, 1, 2, 3}), "body cut");
    }

    @Test
    void randomBytesParseOrFailTypedAndNeverReadPastOneMessage() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            ByteArrayInputStream in = new ByteArrayInputStream(junk);
            try {
                RelayCodec.read(in);
            } catch (IOException e) {
                // RelayProtocolException or EOFException: both typed
            }
            assertTrue(junk.length - in.available() <= RelayCodec.MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void grantsRoundTripAndTheLegacyFormsStayDecodable() throws IOException {
        CircuitGrant grant = new CircuitGrant(new CircuitToken(0x0102030405060708L, -1L), 0xABCD);
        byte[] accepted = RelayCodec.encode(new Accepted(Optional.of(grant)));
        assertArrayEquals(new byte[] {8, 18, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1, (byte) 0xAB,
            (byte) 0xCD}, accepted);
        assertEquals(new Accepted(Optional.of(grant)), read(accepted));
        assertEquals(new Incoming(NODE, Optional.of(grant)),
                read(RelayCodec.encode(new Incoming(NODE, Optional.of(grant)))));
        assertEquals(new Incoming(NODE), read(RelayCodec.encode(new Incoming(NODE))), "legacy 32-byte INCOMING");
        assertEquals(new Accepted(), read(new byte[] {8, 0}), "legacy empty ACCEPTED");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {8, 17}), "ACCEPTED length 17");
        assertThrows(RelayProtocolException.class, () -> read(new byte[] {7, 49}), "INCOMING length 49");
        byte[] portZero = accepted.clone();
        portZero[18] = 0;
        portZero[19] = 0;
        assertThrows(RelayProtocolException.class, () -> read(portZero), "data port 0");
    }

    @Test
    void circuitDatagramsCarryTheTokenFirstAndGarbageIsTyped() throws IOException {
        CircuitToken token = CircuitToken.random();
        assertFalse(token.equals(CircuitToken.random()), "two random tokens differ");
        assertFalse(token.toString().contains(Long.toHexString(token.hi())), "a token never prints its bytes");
        ByteBuffer datagram = ByteBuffer.allocate(CircuitToken.BYTES + 3);
        token.write(datagram);
        datagram.position(CircuitToken.BYTES).put(new byte[] {7, 8, 9}).flip();
        assertEquals(token, CircuitToken.read(datagram));
        assertEquals(0, datagram.position(), "reading the token consumes nothing");
        assertArrayEquals(java.util.Arrays.copyOf(datagram.array(), CircuitToken.BYTES), token.bytes(),
                "the bytes on the wire are the token's");
        assertThrows(RelayProtocolException.class, () -> CircuitToken.read(ByteBuffer.allocate(15)), "short");
        assertThrows(RelayProtocolException.class, () -> CircuitToken.read(ByteBuffer.allocate(0)), "empty");
        assertThrows(RelayProtocolException.class,
                () -> CircuitToken.read(ByteBuffer.allocate(CircuitToken.MAX_DATAGRAM_BYTES + 1)), "oversize");
        assertEquals(new CircuitToken(0, 0), CircuitToken.read(ByteBuffer.allocate(CircuitToken.MAX_DATAGRAM_BYTES)));
        Random random = new Random(12);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            try {
                CircuitToken read = CircuitToken.read(ByteBuffer.wrap(junk));
                assertTrue(junk.length >= CircuitToken.BYTES);
                assertArrayEquals(java.util.Arrays.copyOf(junk, CircuitToken.BYTES), read.bytes());
            } catch (RelayProtocolException e) {
                assertTrue(junk.length < CircuitToken.BYTES, "only short junk is refused: " + junk.length);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new CircuitGrant(token, 0));
        assertThrows(IllegalArgumentException.class, () -> new CircuitGrant(token, 65536));
    }

    @Test
    void connectAttemptsSlideOverAMinuteAndCircuitSlotsComeBack() {
        RelayLimits limits = RelayLimits.DEFAULT.withConnectsPerMinute(2).withCircuits(2, 1);
        CircuitAdmission admission = new CircuitAdmission(limits);
        long minute = 60_000_000_000L;
        NodeId a = NODE;
        NodeId b = NodeId.of(filled(1));
        NodeId c = NodeId.of(filled(2));
        assertTrue(admission.attempt(a, 0).isEmpty());
        assertTrue(admission.attempt(a, minute / 2).isEmpty());
        assertEquals(RelayRefusal.RATE_LIMITED, admission.attempt(a, minute - 1).orElseThrow());
        assertTrue(admission.attempt(a, minute).isEmpty(), "the first attempt left the window");

        assertTrue(admission.open(a, b).isEmpty());
        assertEquals(RelayRefusal.CIRCUITS_PER_NODE, admission.open(c, b).orElseThrow());
        admission.close(a, b);
        assertTrue(admission.open(c, b).isEmpty());
        assertEquals(1, admission.circuits());
    }

    @Test
    void takeWaitsForWholeMessagesAndFailsOnABadHeaderAtOnce() throws IOException {
        byte[] reserve = RelayCodec.encode(new Reserve(60));
        byte[] ping = RelayCodec.encode(new Ping(42));
        ByteBuffer buffered = ByteBuffer.allocate(RelayCodec.MAX_MESSAGE_BYTES);
        List<RelayMessage> taken = new ArrayList<>();
        byte[] both = new byte[reserve.length + ping.length];
        System.arraycopy(reserve, 0, both, 0, reserve.length);
        System.arraycopy(ping, 0, both, reserve.length, ping.length);
        // Byte by byte, as a stream may deliver them: each message comes out once it is whole, never before.
        for (int i = 0; i < both.length; i++) {
            buffered.put(both[i]);
            buffered.flip();
            for (Optional<RelayMessage> m; (m = RelayCodec.take(buffered)).isPresent(); ) {
                taken.add(m.get());
            }
            buffered.compact();
            int whole = i + 1 >= both.length ? 2 : i + 1 >= reserve.length ? 1 : 0;
            assertEquals(whole, taken.size(), "after " + (i + 1) + " bytes");
        }
        assertEquals(List.of(new Reserve(60), new Ping(42)), taken);
        assertEquals(0, buffered.position(), "nothing left over");
        ByteBuffer garbage = ByteBuffer.wrap(new byte[] {(byte) 0xEE, 0});
        assertThrows(RelayProtocolException.class, () -> RelayCodec.take(garbage));
        ByteBuffer badLength = ByteBuffer.wrap(new byte[] {4, 9});
        assertThrows(RelayProtocolException.class, () -> RelayCodec.take(badLength), "a PING is 8 bytes long");
    }
}
