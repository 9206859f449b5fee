package dev.quiver.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class NodeIdTest {
    @Test
    void printsAs52LowercaseBase32CharactersAndParsesBack() {
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            NodeId id = NodeId.of(raw);
            String text = id.toString();
            assertEquals(52, text.length());
            assertEquals(text.toLowerCase(), text);
            assertEquals(id, NodeId.parse(text));
            assertEquals(id, NodeId.parse(text.toUpperCase()));
            assertArrayEquals(raw, NodeId.parse(text).toBytes());
        }
    }

    @Test
    void base32MatchesRfc4648Vectors() {
        // RFC 4648 §10 test vectors, lowercased and without padding.
        String[][] vectors = {{"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"},
                {"fooba", "mzxw6ytb"}, {"foobar", "mzxw6ytboi"}};
        for (String[] v : vectors) {
            assertEquals(v[1], Base32.encode(v[0].getBytes()));
            assertArrayEquals(v[0].getBytes(), Base32.decode(v[1]));
        }
    }

    @Test
    void base32RejectsNonCanonicalInput() {
        assertNull(Base32.decode("mzxw6y"), "impossible length");
        assertNull(Base32.decode("mz"), "non-zero trailing bits (canonical is 'my')");
        assertNull(Base32.decode("my0"), "character outside the alphabet");
    }

    @Test
    void rejectsWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("a".repeat(51) + "1"));
    }

    @Test
    void equalityFollowsBytes() {
        byte[] raw = new byte[32];
        NodeId a = NodeId.of(raw);
        raw[31] = 1;
        NodeId b = NodeId.of(raw);
        assertNotEquals(a, b);
        assertEquals(a, NodeId.of(new byte[32]));
        assertEquals(a.hashCode(), NodeId.of(new byte[32]).hashCode());
    }
}
