package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * Asks the peer for a {@link Pong} with the same nonce. Why: RTT and liveness per path, independent of QUIC's
 * own probing, so the path scheduler and relay health checks see the application-level round trip.
 *
 * <pre>
 * +-----------------------------+
 * | nonce (64 bits)             |
 * +-----------------------------+
 * </pre>
 *
 * @param nonce any value; echoed in the Pong
 */
public record Ping(long nonce) implements Frame {

    static final int BODY_LENGTH = 8;

    @Override
    public int type() {
        return FrameType.PING;
    }

    @Override
    public int bodyLength() {
        return BODY_LENGTH;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(nonce);
    }

    static Ping decodeBody(WireReader r) throws ProtocolException {
        return new Ping(r.readLong("ping nonce"));
    }
}
