package dev.quiver.transport.quic;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class HostAddressesTest {

    private static List<InetAddress> upInterfaceAddresses() throws Exception {
        List<InetAddress> all = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                all.addAll(Collections.list(nic.getInetAddresses()));
            }
        }
        return all;
    }

    @Test
    void loopbackAndEveryOwnInterfaceAddressRouteOverLoopback() throws Exception {
        assertTrue(HostAddresses.routesOverLoopback(InetAddress.getByName("127.0.0.1")));
        assertTrue(HostAddresses.routesOverLoopback(InetAddress.getByName("127.0.0.2")), "all of 127/8");
        assertTrue(HostAddresses.routesOverLoopback(InetAddress.getByName("::1")));
        List<InetAddress> own = upInterfaceAddresses();
        for (InetAddress a : own) {
            assertTrue(HostAddresses.routesOverLoopback(a), a + " is this host's: a same-host receiver dialing it "
                    + "from a ticket must get the loopback payload");
        }
        Assumptions.assumeTrue(own.stream().anyMatch(a -> !a.isLoopbackAddress()),
                "this host has no non-loopback address up; only loopback was checked");
    }

    @Test
    void anAddressOnNoInterfaceIsRemote() throws Exception {
        List<InetAddress> own = upInterfaceAddresses();
        // RFC 5737 TEST-NET-3: documentation space, not expected on any interface; skip one that is.
        InetAddress remote = null;
        for (int host = 250; host > 1 && remote == null; host--) {
            InetAddress candidate = InetAddress.getByName("203.0.113." + host);
            if (!own.contains(candidate)) {
                remote = candidate;
            }
        }
        Assumptions.assumeTrue(remote != null, "every 203.0.113.x address is on an interface here");
        assertFalse(HostAddresses.routesOverLoopback(remote));
        assertFalse(HostAddresses.routesOverLoopback(InetAddress.getByName("2001:db8::77")),
                "RFC 3849 documentation prefix");
    }
}
