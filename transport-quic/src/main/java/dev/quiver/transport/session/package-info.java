/**
 * The session layer (package-private machinery behind {@link dev.quiver.transport.QuiverNode},
 * {@link dev.quiver.transport.PeerSession} and {@link dev.quiver.transport.LogicalStream}).
 *
 * <ul>
 *   <li>{@link dev.quiver.transport.session.SessionManager}: one {@code Session} per authenticated connection,
 *       handlers of accepted streams on virtual threads.</li>
 *   <li>{@code Session}: the protocol on the connection's event loop. The dialer opens the control stream; each
 *       side's first control frame is {@code Settings}; a logical stream's QUIC stream starts (each direction) with
 *       the 8-byte {@code StreamHeader}, then {@code StreamOpen} (opener only), then {@code StreamData} with
 *       offsets; {@code AckRanges}, {@code MaxStreamData}, {@code StreamReset}, {@code StopSending}, {@code Ping}
 *       and {@code Close} travel on the control stream. The fair scheduler hands the path's budget to streams.</li>
 *   <li>{@code Path} / {@code QuicPath}: what the session needs from a way to reach the peer (control and data
 *       writes, a budget of unacknowledged bytes, stats), so a second direct path or a relayed one can be added
 *       without changing the session's protocol: acknowledgement and credit are already per session.</li>
 *   <li>{@code StreamState} (loop side: send and receive buffers) and {@code StreamPipe} (the lock-guarded
 *       hand-off to application threads, which block there, never the loop).</li>
 * </ul>
 */
package dev.quiver.transport.session;
