/**
 * Netty QUIC glue: the endpoint ({@link dev.quiver.transport.quic.QuicEndpoint}: one listening UDP socket with the
 * server codec, dial sockets with the client codec), TLS with pinned node IDs, connection lifecycle, and the
 * pieces that sit in the UDP pipelines under the codec.
 *
 * <h2>Pipeline of a UDP socket (socket side first)</h2>
 * <pre>
 *   listener:     [ImpairmentHandler?] [CircuitHandler] [ReadBurstGate] [AckCoalescer] [QUIC server codec]
 *   dial socket:  [ImpairmentHandler?] [CircuitHandler] [SocketRebinder] [ReadBurstGate] [AckCoalescer]
 *                 [QUIC client codec]
 *   moved-to:     [ImpairmentHandler?] [CircuitHandler] [SocketRebinder.Inbound → dial socket's gate and codec]
 * </pre>
 *
 * <h2>Stream reads</h2>
 * Every QUIC stream's pipeline starts with a {@code BurstReader} (then the byte counter, then the stream's
 * handler). Streams run with auto-read off and are read once per read burst of their socket, not once per packet
 * as Netty's codec does: an idle stream keeps a read pending, so the first packet that brings it data is read at
 * once, and a stream that received is drained by the socket's {@code ReadBurstGate} when the burst ends, before the
 * codec's read-complete sends. {@link dev.quiver.transport.quic.QuicConnection#readEveryPacket} keeps per-packet
 * reads for a stream whose messages must not wait for the rest of a burst (the session does this for INTERACTIVE
 * streams).
 *
 * <h2>Acknowledgements</h2>
 * The codec sends (and quiche acknowledges) on every read-complete. The {@code AckCoalescer} between the gate and
 * the codec holds that read-complete while what arrived since the codec last answered is bulk data (full-size
 * packets) under 256 KB, for at most 500 µs: a receiver that keeps up then sends one ACK per sixteen 16 KB packets
 * instead of one per read burst. Packets themselves are never held, any small packet is answered at once, and
 * anything the session writes ends a hold ({@link dev.quiver.transport.quic.QuicConnection#sendNow}), so replies
 * and the session's own acknowledgements never wait for it.
 *
 * <h2>Relay circuits</h2>
 * A relayed connection is an ordinary QUIC connection whose peer has a virtual address ({@code 100::/64}, RFC 6666,
 * never sent to the kernel): {@link dev.quiver.transport.quic.CircuitSide} maps it to the relay's data address and
 * this side's 16-byte circuit token, and the endpoint-wide {@code CircuitTable} is shared by the {@code
 * CircuitHandler} of every socket. Outbound, a datagram to a virtual address goes to the relay as {@code [token]
 * [packet]} (a GSO batch stays a batch: a token before every segment, segment size + 16); inbound, a datagram from
 * the relay under a known token loses it (a slice) and comes from the virtual address, so quiche routes it by
 * connection ID and sees a stable peer. A dialing side's packets leave from the dial socket of the relay's path
 * class (loopback-sized only for a relay on loopback), an accepting side's from the listener; each side sends bind
 * datagrams (the token alone) every 100 ms from that socket until the relay forwards it something. The relay
 * package ({@code dev.quiver.transport.relay}) owns the protocol; this layer only moves the bytes.
 *
 * <h2>Impairment layer</h2>
 * {@link dev.quiver.transport.quic.ImpairmentPlan} (rules: {@link dev.quiver.transport.quic.ImpairmentPlan.Match}
 * by local IP, remote IP/port and direction → {@link dev.quiver.transport.quic.Impairment}: drop ratio, delay +
 * jitter that keeps order, reordering by holding a share of packets back) is given to
 * {@code QuiverNode.Builder.impairments} or {@code QuicEndpoint.Builder.impairments}; every socket of the endpoint
 * then gets an {@code ImpairmentHandler}. GSO batches written by the codec and GRO batches read from the socket
 * are split into packets first, so every QUIC packet meets its own, seeded, fate; unmatched traffic is untouched.
 * It exists because the test machines have no {@code netem}. Counters: {@code ImpairmentPlan.stats()}.
 *
 * <h2>Client-side migration (RFC 9000 §9)</h2>
 * Netty has no client migration API, and quiche's client drops packets on an address pair it does not know, so
 * migration is done under quiche, the way a NAT rebinding looks: {@code QuicEndpoint.migrate(newLocal)} (or
 * {@code rebindPort()}) binds a new UDP socket on the calling thread (which matters in a network namespace) on
 * the dial socket's event loop, and the dial socket's {@code SocketRebinder} sends every datagram of the client
 * codec through it and feeds what it receives into the codec with the original local address as recipient.
 * quiche on the server sees the new source address, validates it (PATH_CHALLENGE/PATH_RESPONSE, §8.2) and
 * migrates; its {@code QuicPathEvent}s become {@link dev.quiver.transport.PathEvent}s (listener on the builders,
 * history in {@link dev.quiver.transport.quic.QuicConnection#pathEvents()}); the client records
 * {@code LOCAL_REBOUND}. After a move, {@code PathProbes} sends bursts of padded keep-alive datagrams so the
 * server hears from the new address at once.
 *
 * <h2>Why a move sometimes went unvalidated, and what makes it reliable</h2>
 * Neither connection IDs nor quiche's client are involved: the server sees the client's unchanged destination CID
 * from a new address (REUSED_SOURCE_CONNECTION_ID, harmless: quiche then reuses its own DCID on the new path).
 * Three things went wrong, each seen in quiche's path stats on the server:
 * <ol>
 *   <li><b>Amplification deadlock.</b> A client that moves while its congestion window is full sends only small
 *       ACK packets from the new address, and quiche may send three times what it received there until the path
 *       is validated (RFC 9000 §8.1): one 51-byte packet in, one 153-byte packet out (path stats: recv=1,
 *       sent=1). Its PATH_CHALLENGE cannot be padded to the 1200 bytes quiche requires, its ACKs do not get out,
 *       the client's window never opens (our padded DATAGRAM probes queue behind it) and its probe timeout backs
 *       off until FAILED_VALIDATION or the idle timeout. Fix: {@code SocketRebinder} follows the first packets
 *       after a move with padded copies, which quiche cannot decrypt but counts toward the budget (RFC 9000 §8.1
 *       counts every datagram attributed to the connection).</li>
 *   <li><b>Silent validation.</b> quiche re-sends a PATH_CHALLENGE only from a loss-detection timeout on the new
 *       path, and PATH_RESPONSE is never retransmitted; when either is lost (UDP receive-buffer drops are common
 *       on a loaded host) while the path otherwise works, the path stays {@code Validating} for good (path stats:
 *       validationState=1, active, lost=0, megabytes flowing). Fix: the server's {@link
 *       dev.quiver.transport.quic.ValidationWatch} asks the client, by a REPROBE DATAGRAM naming the address, to
 *       move again after 1.5 s without VALIDATED; a fresh port is a new path with a fresh challenge (the same
 *       address would not be challenged again). The listener's {@code active_connection_id_limit} is 16, because
 *       quiche keeps at most that many paths per connection and never frees the slot of an address the client
 *       left (the default 2 allowed exactly one move per connection, and no retry).</li>
 *   <li><b>Data stranded on the path left.</b> quiche retransmits what it had in flight on a path on that same
 *       path, to the address we left. The original socket stays open, and a replaced target socket now keeps
 *       receiving for 30 s instead of closing at once, so those retransmissions arrive and are acknowledged.</li>
 * </ol>
 *
 * <p>Known limits: only dialed connections move (QUIC lets only clients migrate). If the old link died with server
 * data in flight, that data is retransmitted only towards the dead address and the stream stalls until the idle
 * timeout, so a hand-over should be make-before-break where possible (move, wait for the peer's migration, then
 * drop the old link); session resumption covers the rest. A connection can move to at most 15 fresh addresses.
 * Netty 4.2.18 reports path-event and path-stats ports byte-swapped; {@code PortOrder} detects and repairs that.
 */
package dev.quiver.transport.quic;
