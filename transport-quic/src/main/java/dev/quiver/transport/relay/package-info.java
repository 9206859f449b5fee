/**
 * Relaying: a relay server that forwards what it cannot read, the node's relay client, and relay acquisition.
 *
 * <h2>What a circuit carries: QUIC packets, not a second TLS layer</h2>
 * A relayed session is an ordinary QUIC connection between the two nodes whose packets travel through the relay.
 * Each node bridges a circuit to its own QUIC endpoint through a local UDP proxy socket on loopback
 * ({@code PacketBridge}): the dialer's node dials its proxy with the target's node ID pinned exactly as on a direct
 * path, and the proxy puts every datagram on the circuit; on the target, a proxy socket hands the circuit's packets
 * to the node's own QUIC listener and sends its answers back. The relay splices the two circuit streams byte for
 * byte ({@code Splice}) and never parses beyond its circuit header. So:
 * <ul>
 *   <li><b>one security layer</b>: end-to-end encryption is the ordinary QUIC TLS 1.3 handshake pinned to both
 *       node IDs; the relay sees ciphertext only and cannot impersonate either side (it does not hold their keys),
 *       and a node that presents the wrong key behind the relay fails the handshake with
 *       {@link dev.quiver.transport.PeerIdentityMismatchException} as it would directly;</li>
 *   <li><b>one session machinery</b>: the result is a {@link dev.quiver.transport.PeerSession} like any other, so
 *       blob transfer, logical streams, flow control and the multipath upgrade to a direct path work unchanged;</li>
 *   <li><b>identical pinning</b>: the same {@code PinnedPeerTrust} path checks both directions.</li>
 * </ul>
 * The relay's reliable stream under the inner QUIC connection means the inner connection never sees loss between
 * node and relay (the outer connections recover it), only queueing; the proxy sockets' buffers bound that queue.
 * Because the proxies are on loopback, the inner packets are loopback-sized (up to 16383 bytes) whatever the
 * networks between the nodes and the relay carry.
 *
 * <h2>Wire</h2>
 * <ul>
 *   <li>Reservation: subprotocol stream {@code 0x1200}, one per reservation, open for its lifetime:
 *       RESERVE(ttl) → RESERVED(granted ttl) | REFUSED(reason); PING → PONG(ttl left). Ending the stream or losing
 *       the session releases the slot. The relay authenticates the reserving node by its session's pinned peer.</li>
 *   <li>Circuit: a RELAY-kind logical stream (bit 60). Initiator → relay: CONNECT(target node ID); the relay opens
 *       a RELAY stream to the target's reservation session with INCOMING(initiator); the target answers ACCEPTED
 *       (or REFUSED), the relay answers the initiator ACCEPTED or REFUSED(reason), then splices. After the header,
 *       both streams carry packets framed as a 2-byte length and the packet ({@code PacketFraming}, capped at
 *       16383 bytes, 0 refused).</li>
 *   <li>Every message has one fixed body length checked before reading ({@code RelayCodec}); garbage becomes a
 *       {@link dev.quiver.transport.relay.RelayProtocolException}.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * {@link dev.quiver.transport.relay.RelayLimits}: reservations per relay, circuits per relay and per node, bytes
 * and duration per circuit, connect attempts per node per sliding minute, longest TTL. A refusal before the splice
 * is a REFUSED message; a cut after it resets both circuit streams with {@link
 * dev.quiver.transport.relay.RelayRefusal#resetCode()}. Clients turn both into a typed
 * {@link dev.quiver.transport.relay.RelayRefusedException} ("peer not reachable through relay" for an unreserved
 * target). The relay never logs payload bytes; a {@link dev.quiver.transport.relay.SpliceObserver} can meter them.
 *
 * <h2>Acquisition</h2>
 * {@link dev.quiver.transport.relay.RelayAcquisition} runs {@code AcquisitionDriver}, after saorsa-core's design:
 * acquiring → holding (health check every 5 s, a lost session noticed at once) → lost (republish the address set
 * without the relay first) → acquiring; failures back off 30 s doubling to 300 s, a success resets the backoff and a
 * new candidate list cuts a backoff short. The published {@link dev.quiver.transport.relay.NodeAddresses} is typed
 * (relay first when held, proven direct, unverified); tickets made after a change carry it, and peers with open
 * sessions are told on the control stream ({@link dev.quiver.transport.relay.RelayClient#announce}: an
 * {@code AddressUpdate} frame, numbered, at most 17 typed entries, so the newest set wins).
 *
 * <h2>Moving to a direct path</h2>
 * A session dialed through a relay keeps probing the peer's direct addresses ({@code DirectUpgrade}: those of the
 * ticket, and any the peer announces later), 0.5 s after a failed round doubling to 30 s. A direct address that
 * answers joins the same session as a further path (the multipath join), and the relayed path goes on standby on
 * both sides (a {@code PathStatus} frame; {@link dev.quiver.transport.PeerSession#setStandby}): it stays open and
 * probed but the path scheduler gives it data only while no direct path is usable, so streams move to the direct
 * path without a pause and come back to the relay at once if the direct path stalls or dies (what was in flight
 * there is re-sent), while probing starts again. A relay circuit that ends under an upgraded session removes only
 * that path. {@link dev.quiver.transport.relay.RelayClient#connect} races the two ways (happy eyeballs): direct at
 * once, the relay as well after 1.5 s without an answer or at once when direct dialing failed; the first session
 * wins. {@link dev.quiver.transport.relay.RelayClient#kindOf} says whether a path is direct or relayed.
 *
 * <h2>What a relayed byte costs (RelayBench, loopback, 2 shared cores)</h2>
 * <ul>
 *   <li><b>Packet size</b>: the inner packets really are loopback-sized. The dialer dials a loopback proxy, so its
 *       endpoint uses {@code loopbackUdpPayloadBytes} (16383) and advertises it; the target's listener sends up to
 *       the larger configured payload, capped by that advertisement. Per-circuit counters ({@code PacketBridge},
 *       debug log at close) show 674 MB of data in 62 000 packets (10.9 KB on average, full packets 16383 bytes)
 *       and one inner ACK packet per data packet, which the bridge batches 4-6 per circuit write. The size follows
 *       the node's loopback setting: a node configured with small loopback packets relays small packets too.</li>
 *   <li><b>CPU</b>: relayed about 44 CPU s/GiB against 8.6 direct in the same run (about 5x): three complete QUIC
 *       and session stacks (inner, node to relay, relay to node) instead of one, plus two loopback UDP hops per
 *       direction and the relay's copy. Lingering 0.3 ms to batch the ACK direction changed nothing measurable.
 *       On two cores, relayed goodput of half the direct one needs relayed CPU per GiB under about 2.8x direct,
 *       which carrying packets on reliable streams cannot reach. Carrying them as QUIC DATAGRAM frames (RFC 9221)
 *       on the outer connections instead was built and measured (commit fd82d35, reverted): circuit datagrams
 *       {@code [0x01][varint circuit ID][inner packet]}, relay-assigned IDs, forwarding without copy, inner
 *       packets capped at the loopback payload less 64 bytes so every one fit. Every packet went as a DATAGRAM and
 *       none was lost, yet in three alternating same-run pairs (128 MiB, load 6-7 on 2 cores) relayed CPU per GiB
 *       was 50.0 / 48.2 / 40.7 with datagrams against 43.5 / 40.8 / 37.1 with the stream (3.7-4.9x direct
 *       against 3.2-4.2x; over_direct 0.26-0.29 against 0.29-0.33). The outer stream and session layers are not
 *       where the CPU goes: the six QUIC endpoint sides (two inner, four outer) and their per-packet costs are,
 *       and a DATAGRAM cannot pack the outer packets full (inner packets average 10.9 KB) as the stream does.</li>
 *   <li><b>Idle reservation</b> (relay side, per reservation, 500-1000 reservations): about 24 KiB live Java heap
 *       (the reservation stream's parked virtual thread about 4 KiB, stream buffers, the Netty channel and stream
 *       pipelines); 29-47 KiB resident heap depending on G1's free ratio; about 36 KiB of quiche and BoringSSL
 *       per connection (heaptrack: quiche's connection 14.8 KiB, its recovery and other vectors 6.8, BoringSSL's SSL
 *       state 8, path map 2.7, stream table 1.5, stream buffers 1.4) plus malloc overhead; and what glibc keeps
 *       after the handshakes (12-40 KiB until trimmed). In all 70.5 KiB RSS with the relay's JVM flags, 115.6
 *       with the JVM defaults (1 000 reservations). The DATAGRAM queue length and the flow-control windows cost
 *       nothing while idle (quiche allocates lazily). {@code RelayBench.RELAY_JVM_FLAGS} lists the JVM flags a
 *       relay should run with.</li>
 * </ul>
 */
package dev.quiver.transport.relay;
