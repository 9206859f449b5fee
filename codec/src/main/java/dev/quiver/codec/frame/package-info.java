/**
 * Session-level frames: a {@code sealed interface} {@link dev.quiver.codec.frame.Frame} of records, one per type,
 * and {@link dev.quiver.codec.frame.FrameCodec} to encode and decode them in a type-length-body envelope.
 *
 * <p>How the session uses them (the transport's session layer implements this):
 * <ul>
 *   <li>Every QUIC stream starts with a {@code StreamHeader} naming its logical stream. The control stream
 *       ({@code StreamId.control()}) carries {@link dev.quiver.codec.frame.Settings} first, then
 *       {@link dev.quiver.codec.frame.StreamOpen}, {@link dev.quiver.codec.frame.AckRanges},
 *       {@link dev.quiver.codec.frame.MaxStreamData}, {@link dev.quiver.codec.frame.StreamReset},
 *       {@link dev.quiver.codec.frame.StopSending}, {@link dev.quiver.codec.frame.Ping}/{@link
 *       dev.quiver.codec.frame.Pong}, {@link dev.quiver.codec.frame.PathStatus} and finally
 *       {@link dev.quiver.codec.frame.Close}.</li>
 *   <li>Data travels as {@link dev.quiver.codec.frame.StreamData} (stream, offset, bytes) on any QUIC stream of
 *       any path, so one logical stream can be striped over paths and re-sent after a path dies.</li>
 *   <li>Acknowledgement and credit are per session and per logical stream, never per QUIC connection.</li>
 * </ul>
 *
 * <p>Every length is capped by {@link dev.quiver.codec.frame.FrameLimits} before anything is allocated or awaited;
 * garbage becomes a {@link dev.quiver.codec.wire.ProtocolException} whose code closes the connection.
 */
package dev.quiver.codec.frame;
