/**
 * Netty QUIC glue: the endpoint ({@link dev.quiver.transport.quic.QuicEndpoint}: one listening UDP socket with the
 * server codec, dial sockets with the client codec), TLS with pinned node IDs, connection lifecycle, and two
 * pieces that sit in the UDP pipelines under the codec.
 *
 * <h2>Pipeline of a UDP socket (socket side first)</h2>
 * <pre>
 *   listener:     [ImpairmentHandler?] [QUIC server codec]
 *   dial socket:  [ImpairmentHandler?] [SocketRebinder] [QUIC client codec]
 *   moved-to:     [ImpairmentHandler?] [SocketRebinder.Inbound → dial socket's codec]
 * </pre>
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
 * server hears from the new address at once and, within its anti-amplification budget (§8.1), can afford
 * quiche's padded PATH_CHALLENGE; they also restart a migration whose validation failed.
 *
 * <p>Known limits: only dialed connections move (QUIC lets only clients migrate). The original socket keeps
 * receiving (so a server that falls back to the old address still reaches us). quiche does not resend what it had
 * in flight on the path it left: if the old link died with server data in flight, that data is never
 * retransmitted and the stream stalls until the idle timeout, so a hand-over should be make-before-break where
 * possible (move, wait for the peer's migration, then drop the old link); session resumption covers the rest.
 * Netty 4.2.18 reports path-event and path-stats ports byte-swapped; {@code PortOrder} detects and repairs that.
 */
package dev.quiver.transport.quic;
