package dev.quiver.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * QUIC settings of a node's endpoint. Defaults aim at bulk throughput on a 2-core machine; every value can be
 * changed through {@link #builder()}.
 *
 * <p><b>UDP payload size.</b> QUIC must assume 1200 bytes on a path it knows nothing about (RFC 9000 §14), and so
 * does Quiver: {@code udpPayloadBytes} (default 1200) is what a node sends and advertises on connections it dials
 * to any non-loopback address. Connections to a loopback address use {@code loopbackUdpPayloadBytes} (default
 * {@value #DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES}, the most quiche will put in one packet), because the loopback MTU
 * is 64 KiB and quiche's cost is mostly per packet: 16383-byte packets halve the packets per GiB of 8192-byte
 * ones ({@code RawQuicBench} on the shared, loaded 2-core machine: 3.8-6.4 CPU s/GiB at 16383 against 4.3-7.8 at
 * 8192, too noisy to claim more than "not worse"). Set {@code udpPayloadBytes} higher only for a LAN
 * whose MTU you know (9000-byte jumbo frames carry 8952 bytes of UDP payload over IPv6). The dialer decides: its codec advertises that size as
 * {@code max_udp_payload_size} (RFC 9000 §18.2), which caps what the listener sends back on that connection. The
 * handshake itself always runs at 1200 bytes.
 *
 * @param congestionControl            congestion controller
 * @param idleTimeout                  connection closes after this long without packets (RFC 9000 §10.1)
 * @param keepAliveInterval            send a tiny QUIC DATAGRAM this often to keep idle connections and NAT
 *                                     bindings alive; {@link Duration#ZERO} disables
 * @param initialMaxDataBytes          connection flow-control window (initial_max_data)
 * @param initialMaxStreamDataBytes    per-stream window for bidirectional streams, both directions
 * @param initialMaxStreamDataUniBytes per-stream window for unidirectional streams
 * @param initialMaxStreamsBidi        bidirectional streams the peer may open
 * @param initialMaxStreamsUni         unidirectional streams the peer may open
 * @param udpPayloadBytes              UDP payload on paths of unknown MTU (≥ 1200)
 * @param loopbackUdpPayloadBytes      UDP payload on loopback paths (≥ 1200)
 * @param datagramQueueLength          QUIC DATAGRAM (RFC 9221) send and receive queue length; 0 disables
 * @param preferEpoll                  use Linux epoll (with UDP GSO/GRO) when available, else Java NIO
 * @param socketBufferBytes            SO_SNDBUF/SO_RCVBUF request (the kernel caps it at net.core.[rw]mem_max)
 * @param eventLoopThreads             Netty event loop threads of the node
 * @param keyLogFile                   append TLS secrets in SSLKEYLOGFILE format here; when empty, the
 *                                     {@code SSLKEYLOGFILE} environment variable is honoured
 */
public record QuicConfig(CongestionControl congestionControl, Duration idleTimeout, Duration keepAliveInterval,
                         long initialMaxDataBytes, long initialMaxStreamDataBytes, long initialMaxStreamDataUniBytes,
                         long initialMaxStreamsBidi, long initialMaxStreamsUni, int udpPayloadBytes,
                         int loopbackUdpPayloadBytes, int datagramQueueLength, boolean preferEpoll,
                         int socketBufferBytes, int eventLoopThreads, Optional<Path> keyLogFile) {
    /** RFC 9000 §14: the smallest maximum datagram size every QUIC path must carry. */
    public static final int MIN_UDP_PAYLOAD_BYTES = 1200;
    /**
     * Largest UDP payload quiche sends in one packet once the handshake is done (it caps packets so their lengths
     * fit 2-byte varints); larger settings would only be advertised, never used.
     */
    public static final int MAX_UDP_PAYLOAD_BYTES = 16383;
    /** Default loopback payload: see the class comment and the raw QUIC benchmark. */
    public static final int DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES = MAX_UDP_PAYLOAD_BYTES;

    /** Validates ranges. */
    public QuicConfig {
        Objects.requireNonNull(congestionControl, "congestionControl");
        Objects.requireNonNull(keyLogFile, "keyLogFile");
        requirePositive(idleTimeout, "idleTimeout");
        if (keepAliveInterval.isNegative()) {
            throw new IllegalArgumentException("keepAliveInterval must not be negative");
        }
        if (!keepAliveInterval.isZero() && keepAliveInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("keepAliveInterval " + keepAliveInterval
                    + " must be shorter than idleTimeout " + idleTimeout + " or the connection idles out first");
        }
        if (!keepAliveInterval.isZero() && datagramQueueLength == 0) {
            throw new IllegalArgumentException("keep-alive uses QUIC DATAGRAM frames; set keepAliveInterval to zero "
                    + "or datagramQueueLength above zero");
        }
        requirePayload(udpPayloadBytes, "udpPayloadBytes");
        requirePayload(loopbackUdpPayloadBytes, "loopbackUdpPayloadBytes");
        if (initialMaxDataBytes < 0 || initialMaxStreamDataBytes < 0 || initialMaxStreamDataUniBytes < 0
                || initialMaxStreamsBidi < 0 || initialMaxStreamsUni < 0 || datagramQueueLength < 0
                || socketBufferBytes < 0 || eventLoopThreads < 1) {
            throw new IllegalArgumentException("windows, limits and buffer sizes must not be negative, and at "
                    + "least one event loop thread is needed: " + this);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static QuicConfig defaults() {
        return builder().build();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePayload(int value, String name) {
        if (value < MIN_UDP_PAYLOAD_BYTES || value > MAX_UDP_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(name + " must be " + MIN_UDP_PAYLOAD_BYTES + ".."
                    + MAX_UDP_PAYLOAD_BYTES + ", got " + value);
        }
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private CongestionControl congestionControl = CongestionControl.CUBIC;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration keepAliveInterval = Duration.ofSeconds(10);
        // Windows sized for ~1 Gbit/s at 100 ms RTT (12.5 MB BDP) on one stream; quiche grows them further.
        private long initialMaxDataBytes = 32L << 20;
        private long initialMaxStreamDataBytes = 16L << 20;
        private long initialMaxStreamDataUniBytes = 1L << 20;
        // The session layer opens one QUIC stream per logical stream; thousands may be open at once.
        private long initialMaxStreamsBidi = 4096;
        private long initialMaxStreamsUni = 16;
        private int udpPayloadBytes = MIN_UDP_PAYLOAD_BYTES;
        private int loopbackUdpPayloadBytes = DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES;
        private int datagramQueueLength = 128;
        private boolean preferEpoll = true;
        private int socketBufferBytes = 4 << 20;
        private int eventLoopThreads = 1;
        private Optional<Path> keyLogFile = Optional.empty();

        private Builder() {
        }

        private Builder(QuicConfig c) {
            congestionControl = c.congestionControl;
            idleTimeout = c.idleTimeout;
            keepAliveInterval = c.keepAliveInterval;
            initialMaxDataBytes = c.initialMaxDataBytes;
            initialMaxStreamDataBytes = c.initialMaxStreamDataBytes;
            initialMaxStreamDataUniBytes = c.initialMaxStreamDataUniBytes;
            initialMaxStreamsBidi = c.initialMaxStreamsBidi;
            initialMaxStreamsUni = c.initialMaxStreamsUni;
            udpPayloadBytes = c.udpPayloadBytes;
            loopbackUdpPayloadBytes = c.loopbackUdpPayloadBytes;
            datagramQueueLength = c.datagramQueueLength;
            preferEpoll = c.preferEpoll;
            socketBufferBytes = c.socketBufferBytes;
            eventLoopThreads = c.eventLoopThreads;
            keyLogFile = c.keyLogFile;
        }

        /** Congestion controller (default CUBIC). */
        public Builder congestionControl(CongestionControl value) {
            congestionControl = value;
            return this;
        }

        /** Idle timeout (default 30 s). */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        /** Keep-alive interval (default 10 s; zero disables). */
        public Builder keepAliveInterval(Duration value) {
            keepAliveInterval = value;
            return this;
        }

        /** Connection window (default 32 MiB). */
        public Builder initialMaxDataBytes(long value) {
            initialMaxDataBytes = value;
            return this;
        }

        /** Per-stream window of bidirectional streams (default 16 MiB). */
        public Builder initialMaxStreamDataBytes(long value) {
            initialMaxStreamDataBytes = value;
            return this;
        }

        /** Per-stream window of unidirectional streams (default 1 MiB). */
        public Builder initialMaxStreamDataUniBytes(long value) {
            initialMaxStreamDataUniBytes = value;
            return this;
        }

        /** Bidirectional streams the peer may open (default 4096). */
        public Builder initialMaxStreamsBidi(long value) {
            initialMaxStreamsBidi = value;
            return this;
        }

        /** Unidirectional streams the peer may open (default 16). */
        public Builder initialMaxStreamsUni(long value) {
            initialMaxStreamsUni = value;
            return this;
        }

        /** UDP payload on non-loopback paths (default 1200). */
        public Builder udpPayloadBytes(int value) {
            udpPayloadBytes = value;
            return this;
        }

        /** UDP payload on loopback paths (default {@value QuicConfig#DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES}). */
        public Builder loopbackUdpPayloadBytes(int value) {
            loopbackUdpPayloadBytes = value;
            return this;
        }

        /** QUIC DATAGRAM queue length (default 128; 0 disables DATAGRAM and with it keep-alive). */
        public Builder datagramQueueLength(int value) {
            datagramQueueLength = value;
            return this;
        }

        /** Whether to use epoll with GSO when available (default true). */
        public Builder preferEpoll(boolean value) {
            preferEpoll = value;
            return this;
        }

        /** Socket buffer request (default 4 MiB). */
        public Builder socketBufferBytes(int value) {
            socketBufferBytes = value;
            return this;
        }

        /** Event loop threads (default 1). */
        public Builder eventLoopThreads(int value) {
            eventLoopThreads = value;
            return this;
        }

        /** Write TLS secrets to {@code file} (SSLKEYLOGFILE format) so captures can be decrypted. */
        public Builder keyLogFile(Path file) {
            keyLogFile = Optional.of(file);
            return this;
        }

        /** The validated configuration. */
        public QuicConfig build() {
            return new QuicConfig(congestionControl, idleTimeout, keepAliveInterval, initialMaxDataBytes,
                    initialMaxStreamDataBytes, initialMaxStreamDataUniBytes, initialMaxStreamsBidi,
                    initialMaxStreamsUni, udpPayloadBytes, loopbackUdpPayloadBytes, datagramQueueLength,
                    preferEpoll, socketBufferBytes, eventLoopThreads, keyLogFile);
        }
    }
}
