package dev.quiver.tools.cmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code send --bind}: the forms it accepts and the messages for the ones it does not. */
@Timeout(10)
class SendCommandTest {

    @Test
    void acceptsIpv4Ipv6AndPortOnly() {
        InetSocketAddress v4 = SendCommand.parseBind("127.0.0.1:4433");
        assertEquals("127.0.0.1", v4.getAddress().getHostAddress());
        assertEquals(4433, v4.getPort());
        InetSocketAddress v6 = SendCommand.parseBind("[::1]:0");
        assertTrue(v6.getAddress().isLoopbackAddress());
        assertTrue(SendCommand.parseBind(":9000").getAddress().isAnyLocalAddress());
    }

    @Test
    void refusesWhatIsNotAnAddressAndPort() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SendCommand.parseBind("4433"))
                .getMessage().contains("ADDR:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SendCommand.parseBind("0.0.0.0:http"))
                .getMessage().contains("not a port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SendCommand.parseBind("0.0.0.0:70000"))
                .getMessage().contains("out of range"));
    }
}
