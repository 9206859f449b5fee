package dev.quiver.transport.quic;

import dev.quiver.transport.QuicConfig;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;

import java.util.concurrent.TimeUnit;

/** Applies a {@link QuicConfig} to a Netty QUIC codec builder (server or client). Stateless. */
final class QuicCodecSettings {
    private QuicCodecSettings() {
    }

    static <B extends QuicCodecBuilder<B>> B apply(B builder, QuicConfig config, int payloadBytes) {
        builder.congestionControlAlgorithm(switch (config.congestionControl()) {
                    case CUBIC -> QuicCongestionControlAlgorithm.CUBIC;
                    case BBR -> QuicCongestionControlAlgorithm.BBR;
                    case RENO -> QuicCongestionControlAlgorithm.RENO;
                })
                .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxSendUdpPayloadSize(payloadBytes)
                .maxRecvUdpPayloadSize(payloadBytes)
                .initialMaxData(config.initialMaxDataBytes())
                .initialMaxStreamDataBidirectionalLocal(config.initialMaxStreamDataBytes())
                .initialMaxStreamDataBidirectionalRemote(config.initialMaxStreamDataBytes())
                .initialMaxStreamDataUnidirectional(config.initialMaxStreamDataUniBytes())
                .initialMaxStreamsBidirectional(config.initialMaxStreamsBidi())
                .initialMaxStreamsUnidirectional(config.initialMaxStreamsUni());
        if (config.datagramQueueLength() > 0) {
            builder.datagram(config.datagramQueueLength(), config.datagramQueueLength());
        }
        return builder;
    }
}
