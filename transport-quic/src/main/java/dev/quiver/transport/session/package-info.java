/**
 * The session layer (package-private machinery behind {@link dev.quiver.transport.QuiverNode},
 * {@link dev.quiver.transport.PeerSession} and {@link dev.quiver.transport.LogicalStream}).
 *
 * <ul>
 *   <li>{@link dev.quiver.transport.session.SessionManager}: turns authenticated QUIC connections into sessions,
 *       or into further paths of one: the dialer's Settings carry a random session token, and a connection of the
 *       same (pinned) peer whose Settings say {@code join} with a known token becomes another path of that session
 *       (an unknown token is refused with {@code UNKNOWN_SESSION}). Runs handlers of accepted streams on virtual
 *       threads; a handler may instead register a readable listener ({@code LogicalStream.onReadable}, run by
 *       {@code StreamPipe} one run at a time on a short-lived virtual thread) and return, so an idle stream holds no
 *       thread (a relay's reservations).</li>
 *   <li>{@code Session}: the protocol, on the session's event loop (every path of a session lives on it). Each
 *       path's control stream starts with Settings; every carrier (QUIC stream) of a logical stream starts with the
 *       8-byte {@code StreamHeader} and a {@code StreamOpen} (a continuation on all carriers after the stream's
 *       first, so a late carrier never reopens a finished stream); {@code StreamData} with offsets follows.
 *       {@code AckRanges}, {@code MaxStreamData}, {@code StreamReset}, {@code StopSending} and {@code Close} go on
 *       the control stream of every live path (they are idempotent, so losing a path loses none; QUIC does not
 *       order them against a new stream's carrier, so credit, reset and stop-sending for a peer's stream not open
 *       yet wait for its StreamOpen in {@code EarlyFrames}); Ping/Pong probe
 *       each path. The fair scheduler picks the stream, the path scheduler ({@code transport.path}) the path. A
 *       {@code PathStatus} on a path's own control stream puts that connection on standby (or back) at the peer too
 *       ({@code PeerSession.setStandby}): a standby path carries data only while no other path is usable (a relayed
 *       path kept as the backup of a direct one). {@code AddressUpdate} frames carry the peer's new address set
 *       ({@code SessionAddresses} keeps the newest by sequence and tells listeners on virtual threads).</li>
 *   <li>{@code QuicPath} (one QUIC connection; {@code Path} is what the session needs of any path) and
 *       {@code SessionPaths} (their life: joining, probes every 50 ms while there are several or data moves on open streams,
 *       a stall after 0.25-0.6 s of silence, a fresh dial when a busy session's only path has been silent for
 *       1 s, removal, and resumption: with every path gone the session waits its grace period while the dialer
 *       redials every address it knows).</li>
 *   <li>{@code SentRecord}: each data chunk in flight names its path, so an acknowledgement gives that path its
 *       budget and an RTT sample back, and a dead or stalled path's chunks are marked lost and re-sent on the
 *       others. The receiver drops duplicates (the reassembly is per session), so nothing reaches the application
 *       twice, and a duplicate makes it acknowledge again, so lost acknowledgements heal too; credit is announced
 *       again after every path change.</li>
 *   <li>{@code SessionStreams}: the session's logical streams ({@code StreamTable}: open ones and recently closed
 *       IDs) and their life: the peer's stream-level frames, the application's operations, delivery and credit
 *       after each read burst, acknowledgement ({@code Acknowledger}: after 256 KiB of a stream, its FIN, or 1 ms),
 *       re-queueing a failed path's chunks, removal once both directions are done.</li>
 *   <li>{@code StreamState} (loop side: send and receive buffers, chunks in flight) and {@code StreamPipe} (the
 *       lock-guarded hand-off to application threads, which block there, never the loop).</li>
 * </ul>
 */
package dev.quiver.transport.session;
