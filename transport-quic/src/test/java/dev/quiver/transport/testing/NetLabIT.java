package dev.quiver.transport.testing;

import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;
import dev.quiver.transport.Ticket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab itself: namespaces, links, per-thread setns with Netty epoll sockets, tbf, clean-up. */
class NetLabIT {
    private static final QuicConfig QUICK = QuicConfig.builder().idleTimeout(Duration.ofSeconds(3))
            .keepAliveInterval(Duration.ofSeconds(1)).build();

    @Test
    @Timeout(30)
    void threadsInANamespaceSeeOnlyItsInterfaces() throws Exception {
        try (NetLab lab = NetLab.create()) {
            NetLab.Namespace a = lab.namespace("a");
            NetLab.Namespace b = lab.namespace("b");
            NetLab.Link link = lab.link(a, "10.61.1.1/24", b, "10.61.1.2/24");
            List<String> names = a.call(() -> Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().toList());
            // The JDK also reads /proc/net/if_inet6, which follows the process's (not the thread's) namespace, so
            // IPv6-only interfaces of the root namespace may show up too; the veth end must be there regardless.
            assertTrue(names.contains(link.ifaceA()) && !names.contains(link.ifaceB()), names.toString());
            assertTrue(link.ifaceA().length() <= 15, link.ifaceA());
            // The caller's thread is untouched by the setns of the helper thread.
            assertFalse(Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .anyMatch(nic -> nic.getName().equals(link.ifaceA())));
        }
    }

    @Test
    @Timeout(30)
    void datagramsCrossALinkUntilItGoesDown() throws Exception {
        try (NetLab lab = NetLab.create()) {
            NetLab.Namespace a = lab.namespace("a");
            NetLab.Namespace b = lab.namespace("b");
            NetLab.Link link = lab.link(a, "10.61.1.1/24", b, "10.61.1.2/24");
            try (DatagramChannel receiver = b.call(() -> DatagramChannel.open()
                         .bind(new InetSocketAddress(link.addressB(), 0)));
                 DatagramChannel sender = a.call(() -> DatagramChannel.open()
                         .bind(new InetSocketAddress(link.addressA(), 0)))) {
                InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
                sender.send(ByteBuffer.wrap(new byte[] {42}), to);
                ByteBuffer got = ByteBuffer.allocate(16);
                receiver.receive(got);
                assertEquals(42, got.flip().get());

                link.down();
                assertThrows(IOException.class, () -> sender.send(ByteBuffer.wrap(new byte[] {1}), to),
                        "a down link has no route");
                link.up();
                sender.send(ByteBuffer.wrap(new byte[] {7}), to);
                got.clear();
                receiver.receive(got);
                assertEquals(7, got.flip().get());
            }
        }
    }

    @Test
    @Timeout(30)
    void epollQuicNodeIsReachableOnlyOverALink() throws Exception {
        try (NetLab lab = NetLab.create()) {
            NetLab.Namespace server = lab.namespace("srv");
            NetLab.Namespace linked = lab.namespace("linked");
            NetLab.Namespace isolated = lab.namespace("isolated");
            NetLab.Link link = lab.link(linked, "10.61.1.1/24", server, "10.61.1.2/24");
            try (QuiverNode srv = server.call(() -> node(new InetSocketAddress(link.addressB(), 0)));
                 QuiverNode near = linked.call(() -> node(new InetSocketAddress(link.addressA(), 0)));
                 QuiverNode far = isolated.call(() -> node(new InetSocketAddress("0.0.0.0", 0)))) {
                Ticket ticket = srv.ticket();
                PeerSession session = linked.call(() -> near.connect(ticket));
                assertEquals(srv.nodeId(), session.peer());

                CompletableFuture<PeerSession> attempt = isolated.call(() -> far.connectAsync(ticket));
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> attempt.get(20, TimeUnit.SECONDS));
                assertFalse(failure.getCause() instanceof AssertionError, failure.toString());

                NetLab.Link late = lab.link(isolated, "10.61.2.1/24", server, "10.61.2.2/24");
                try (QuiverNode srv2 = server.call(() -> node(new InetSocketAddress(late.addressB(), 0)));
                     QuiverNode far2 = isolated.call(() -> node(new InetSocketAddress(late.addressA(), 0)))) {
                    PeerSession reached = isolated.call(() -> far2.connect(srv2.ticket()));
                    assertEquals(srv2.nodeId(), reached.peer());
                }
            }
        }
    }

    private static QuiverNode node(InetSocketAddress bind) throws IOException {
        return QuiverNode.builder().bindAddress(bind).quicConfig(QUICK).build();
    }

    @Test
    @Timeout(30)
    void rateLimitInstallsATokenBucket() throws Exception {
        try (NetLab lab = NetLab.create()) {
            NetLab.Link link = lab.link(lab.namespace("a"), "10.61.1.1/24", lab.namespace("b"), "10.61.1.2/24");
            link.rateLimit(100);
            String qdisc = link.qdiscA();
            assertTrue(qdisc.contains("tbf") && qdisc.contains("100Mbit"), qdisc);
            link.clearRateLimit();
            assertFalse(link.qdiscA().contains("tbf"), link.qdiscA());
        }
    }

    @Test
    @Timeout(30)
    void closeRemovesEverythingAndCreateRemovesStaleLeftovers() throws Exception {
        // A namespace named after a dead process, as a killed JVM would leave behind.
        Process shortLived = new ProcessBuilder("true").start();
        shortLived.waitFor();
        String stale = "qv" + shortLived.pid() + "n1-stale";
        try (NetLab probe = NetLab.create()) {
            // Skips this test like every other lab test when namespaces are unavailable.
            Commands.run(Commands.find("ip").orElseThrow().toString(), "netns", "add", stale);
        }
        List<String> names;
        try (NetLab lab = NetLab.create()) {
            assertFalse(NetLab.listNamespaces().contains(stale), "stale namespace removed on create");
            NetLab.Namespace a = lab.namespace("a");
            lab.link(a, "10.61.1.1/24", lab.namespace("b"), "10.61.1.2/24");
            names = NetLab.listNamespaces();
            assertTrue(names.contains(a.name()), names.toString());
        }
        List<String> after = NetLab.listNamespaces();
        assertTrue(after.stream().noneMatch(n -> n.startsWith(NetLab.namePrefix() + "n")), after.toString());
        assertFalse(Path.of("/var/run/netns", stale).toFile().exists());
    }
}
