/**
 * Wire primitives: a bounded {@link dev.quiver.codec.wire.WireReader} that checks before every read and caps
 * before every allocation, a {@link dev.quiver.codec.wire.WireWriter}, QUIC varints (RFC 9000 §16), and the
 * typed {@link dev.quiver.codec.wire.ProtocolException} carrying the {@link dev.quiver.codec.wire.ProtocolError}
 * a peer's connection or stream is closed with. No Netty here.
 */
package dev.quiver.codec.wire;
