package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * Answers a {@link Ping}, echoing its nonce. Why: closes the RTT sample and proves the path (and peer) alive.
 * The sender matches it to its outstanding ping by nonce.
 *
 * <pre>
 * +-----------------------------+
 * | nonce (64 bits)             |
 * +-----------------------------+
 * </pre>
 *
 * @param nonce the nonce of the Ping being answered
 */
public record Pong(long nonce) implements Frame {

    static final int BODY_LENGTH = 8;

    @Override
    public int type() {
        return FrameType.PONG;
    }

    @Override
    public int bodyLength() {
        return BODY_LENGTH;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeLong(nonce);
    }

    static Pong decodeBody(WireReader r) throws ProtocolException {
        return new Pong(r.readLong("pong nonce"));
    }
}
