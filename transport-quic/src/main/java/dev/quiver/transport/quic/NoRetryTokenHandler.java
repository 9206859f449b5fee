package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;

import java.net.InetSocketAddress;

/**
 * Accepts connections without a Retry round trip (RFC 9000 §8.1.2). Peers are authenticated by their node ID in
 * the handshake, and until then quiche's anti-amplification limit (three times the bytes received, §8.1) bounds
 * what a spoofed address can make us send. Stateless.
 */
final class NoRetryTokenHandler implements QuicTokenHandler {
    static final NoRetryTokenHandler INSTANCE = new NoRetryTokenHandler();

    private NoRetryTokenHandler() {
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        return false;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        return 0;
    }

    @Override
    public int maxTokenLength() {
        return 0;
    }
}
