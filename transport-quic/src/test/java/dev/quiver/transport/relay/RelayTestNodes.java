package dev.quiver.transport.relay;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.QuiverNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nodes, relays and a verified transfer for the relay integration tests; closes everything it made. */
final class RelayTestNodes implements AutoCloseable {
    /** Short idle timeout: a failed dial or a dead relay is noticed within seconds. */
    static final QuicConfig QUIC = QuicConfig.builder().idleTimeout(Duration.ofSeconds(4))
            .keepAliveInterval(Duration.ofSeconds(1)).build();
    /** Every line of the test plaintext starts with this, so a capture can be searched for it. */
    static final byte[] MARKER = "quiver-relay-plaintext-marker:".getBytes(StandardCharsets.US_ASCII);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    QuiverNode node() throws IOException {
        return node(QuiverNode.builder().quicConfig(QUIC));
    }

    QuiverNode node(QuiverNode.Builder builder) throws IOException {
        QuiverNode node = builder.build();
        toClose.add(node);
        return node;
    }

    RelayClient client(QuiverNode node) {
        RelayClient client = new RelayClient(node);
        toClose.add(client);
        return client;
    }

    /** A node that answers every BLOB stream with the BLAKE3 hash of what it read. */
    RelayClient hashingTarget() throws IOException {
        QuiverNode node = node();
        RelayClient client = client(node);
        node.handle(StreamKind.BLOB, (session, stream) -> {
            byte[] data = stream.inputStream().readAllBytes();
            stream.outputStream().write(Blake3.hash(data));
        });
        return client;
    }

    RelayServer relay(RelayServer.Builder builder) throws IOException {
        RelayServer relay = builder.quicConfig(QUIC).build();
        toClose.add(relay);
        return relay;
    }

    RelayServer relay() throws IOException {
        return relay(RelayServer.builder());
    }

    <T extends AutoCloseable> T closeLater(T value) {
        toClose.add(value);
        return value;
    }

    /** Plaintext of {@code bytes} bytes: numbered lines that each start with {@link #MARKER}. */
    static byte[] markedPlaintext(int bytes) {
        byte[] out = new byte[bytes];
        int pos = 0;
        for (long line = 0; pos < bytes; line++) {
            byte[] text = (new String(MARKER, StandardCharsets.US_ASCII) + line + " the quick brown fox\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(text.length, bytes - pos);
            System.arraycopy(text, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    /** Sends {@code data} on a fresh BLOB stream and returns the peer's answer (its hash of what it read). */
    static byte[] sendForHash(PeerSession session, byte[] data) throws IOException {
        try (LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 1)) {
            OutputStream out = stream.outputStream();
            out.write(data);
            out.close();
            return stream.inputStream().readAllBytes();
        }
    }

    /** A loopback address where nothing listens (a port just released). */
    static InetSocketAddress deadAddress() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    /** Whether {@code haystack[0..length)} contains {@code needle}. */
    static boolean contains(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Closes everything, newest first; the first failure is thrown once all were tried (others suppressed). */
    @Override
    public void close() {
        IllegalStateException failure = null;
        for (AutoCloseable c : toClose.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close " + c, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits up to 10 s for {@code count} to come down to {@code expected}, then asserts it did: the relay releases
     * a circuit or reservation on its own threads, just after the client has its answer.
     */
    static void awaitCount(IntSupplier count, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() > expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, count.getAsInt(), what);
    }
}
