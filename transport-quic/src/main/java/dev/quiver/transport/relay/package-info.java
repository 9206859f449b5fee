/**
 * Relaying: a relay server that forwards what it cannot read, the node's relay client, and relay acquisition.
 *
 * <h2>What a circuit carries: QUIC packets in plain UDP datagrams, not a second TLS layer</h2>
 * A relayed session is an ordinary QUIC connection between the two nodes whose packets travel through the relay.
 * Each node carries a circuit on its own QUIC sockets: it registers its side of the circuit ({@link
 * dev.quiver.transport.quic.CircuitSide}, through {@link dev.quiver.transport.QuiverNode#openCircuitSide}) in its
 * endpoint's circuit table, which gives the peer behind the relay a virtual address in the IPv6 discard prefix
 * {@code 100::/64} (RFC 6666) that never reaches the kernel. A handler under the QUIC codec of every UDP socket sends
 * what the codec writes to that address to the relay's data socket, under the side's token, and hands what the
 * relay forwards under the token to the codec as if it came from the virtual address. The dialer's node dials the
 * virtual address with the target's node ID pinned exactly as on a direct path (its Initial leaves from the dial
 * socket it uses for the relay); on the target the circuit's packets arrive at the node's own QUIC listener, which
 * accepts the connection from its own virtual address for the dialer and answers there. No thread of ours touches
 * a packet on either node: the relay's forwarding is the only user-space hop. Between a node and the relay the
 * packets travel as plain UDP datagrams, not inside the outer QUIC connection: the set-up (reservation, CONNECT,
 * refusals, limits) is authenticated on the outer connection, and the packets themselves are already encrypted and
 * authenticated end to end, so a second layer of encryption would protect nothing the relay needs. So:
 * <ul>
 *   <li><b>one security layer</b>: end-to-end encryption is the ordinary QUIC TLS 1.3 handshake pinned to both
 *       node IDs; the relay sees ciphertext only and cannot impersonate either side (it does not hold their keys),
 *       and a node that presents the wrong key behind the relay fails the handshake with
 *       {@link dev.quiver.transport.PeerIdentityMismatchException} as it would directly;</li>
 *   <li><b>one session machinery</b>: the result is a {@link dev.quiver.transport.PeerSession} like any other, so
 *       blob transfer, logical streams, flow control and the multipath upgrade to a direct path work unchanged;</li>
 *   <li><b>identical pinning</b>: the same {@code PinnedPeerTrust} path checks both directions;</li>
 *   <li><b>one QUIC stack per packet</b>: the relay only moves datagrams (two syscalls per packet), like TURN
 *       channels (RFC 8656 §12); the nodes add and strip a 16-byte token on their own sockets.</li>
 * </ul>
 * The inner QUIC connection sees the loss between node and relay (there is no reliable layer under it any more) and
 * recovers it as on any path. The inner packets are sized for the path to the relay: when the relay's data address
 * is not on loopback a circuit connection uses {@code udpPayloadBytes} (1200 by default) and the target's answers
 * follow the size the dialer advertises, so a circuit datagram is at most 1216 bytes (within IPv6's minimum-MTU
 * payload, 1232) and is not fragmented on the way; a relay on loopback keeps loopback-sized packets (up to 16383
 * bytes). GSO batches stay batches: the handler puts the token before every segment and sends them with a segment
 * size 16 bytes larger.
 *
 * <h2>Wire</h2>
 * <ul>
 *   <li>Reservation: subprotocol stream {@code 0x1200}, one per reservation, open for its lifetime:
 *       RESERVE(ttl) → RESERVED(granted ttl) | REFUSED(reason); PING → PONG(ttl left). Ending the stream or losing
 *       the session releases the slot. The relay authenticates the reserving node by its session's pinned peer.</li>
 *   <li>Circuit set-up: a RELAY-kind logical stream (bit 60). Initiator → relay: CONNECT(target node ID); the relay
 *       allocates a random 16-byte token for each side of the circuit and opens a RELAY stream to the target's
 *       reservation session with INCOMING(initiator, target's token, data port); the target answers ACCEPTED (or
 *       REFUSED), the relay answers the initiator ACCEPTED(initiator's token, data port) or REFUSED(reason). The
 *       legacy INCOMING/ACCEPTED without a grant still decode (a node refuses a circuit without one). Both streams
 *       then carry nothing: either one's end or reset ends the circuit, and a relay cut resets both with
 *       {@link dev.quiver.transport.relay.RelayRefusal#resetCode()}.</li>
 *   <li>Circuit data ({@code CircuitToken}, {@code RelayDataPlane}): one UDP datagram per inner packet,
 *       {@code [token 16][packet 0..16383]}, between the node's relay socket and the relay's one data socket (the
 *       relay's IP as the node reaches it, the granted port). The relay binds a side to the source of the first
 *       datagram with its token and then accepts that token only from that source; it rewrites the token to the
 *       other side's and sends the datagram on from the same buffer. A token alone is a bind datagram: each side
 *       repeats one every 100 ms, from the socket its packets use, until the relay forwards it something, so the target's side is bound before the
 *       dialer's first packet arrives. Unknown tokens, foreign sources, short or oversize datagrams, and packets for
 *       a side not bound yet are dropped and counted ({@link dev.quiver.transport.relay.RelayServer#droppedDatagrams()}).
 *       A token thief on the path can at most inject garbage from the bound address, which the inner QUIC drops.</li>
 *   <li>Every control message has fixed body lengths checked before reading ({@code RelayCodec}); garbage becomes a
 *       {@link dev.quiver.transport.relay.RelayProtocolException}.</li>
 * </ul>
 * There is no stream fallback: a node that cannot send UDP to the relay's data port cannot use the relay (the outer
 * QUIC connection is UDP to the same host too, so a network that passes one passes the other unless a firewall
 * filters by port). Keeping the stream carriage as a fallback would keep the 4-5x CPU path and its code alive for a
 * case nothing here needs.
 *
 * <h2>Limits</h2>
 * {@link dev.quiver.transport.relay.RelayLimits}: reservations per relay, circuits per relay and per node, bytes
 * and duration per circuit, connect attempts per node per sliding minute, longest TTL. A refusal before the circuit
 * opens is a REFUSED message; a cut after it resets both circuit streams with {@link
 * dev.quiver.transport.relay.RelayRefusal#resetCode()} and stops forwarding the circuit's tokens at once. The byte
 * budget counts the inner packet bytes the relay forwarded, both directions. Clients turn both into a typed
 * {@link dev.quiver.transport.relay.RelayRefusedException} ("peer not reachable through relay" for an unreserved
 * target). The relay never logs payload bytes or tokens; a {@link dev.quiver.transport.relay.ForwardObserver} sees every
 * forwarded inner packet (metering, and the tests that check the relay never sees plaintext).
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
 *   <li><b>Packet size</b>: with the relay on loopback (as here) the inner packets are loopback-sized: the dialer's
 *       circuit connection uses {@code loopbackUdpPayloadBytes} (16383) and advertises it; the target's listener
 *       sends up to the larger configured payload, capped by that advertisement. Each becomes one datagram of 16
 *       more bytes to and from the relay; the dialer's GSO batches keep their segments (3 of 16399 bytes).</li>
 *   <li><b>CPU</b> (whole process: both nodes and the relay; best of two alternating rounds; 2 shared cores): one
 *       user-space hop per packet, the relay's (two syscalls), since the nodes' QUIC sockets talk to the relay's
 *       data socket themselves. Before, each node bridged its circuit through a loopback proxy socket and a relay
 *       socket ({@code PacketBridge}, removed): six syscalls and three thread wake-ups per packet and direction.
 *       Same-conditions A/B (256 MiB, goodput part of RelayBench, the bridge code of commit 0c364d0 against this,
 *       alternating, load 5-7): relayed 20.6 / 17.0 CPU s/GiB with the bridges (1.86x / 1.58x direct, over_direct
 *       0.70 / 0.66) against 12.2 / 13.0 without (1.21x / 1.28x, over_direct 0.77 / 0.77). Two full benches (512
 *       MiB, load 3 rising to 5 and 12 during the runs): direct 1.554 / 2.431 Gbit/s at 6.46 / 6.46 CPU s/GiB,
 *       relayed 0.799 / 1.346 Gbit/s at 12.44 / 11.86 (1.93x / 1.84x), over_direct 0.514 / 0.554; the last full
 *       run of the bridge code measured 0.462 (direct 2.455, relayed 1.134 Gbit/s; 13.8 against 6.4 CPU s/GiB).
 *       What is left is the relay's hop itself: its socket takes the dialer's GSO batch as single datagrams and
 *       forwards each with a {@code receive} and a {@code send} on one thread, and the target reads them one per
 *       syscall (a direct receiver gets a GRO batch per read); on two cores the relay's thread competes with both
 *       nodes' event loops. Earlier attempts, for the record: the stream carriage cost about 44 CPU s/GiB against
 *       8.6 direct (three QUIC and session stacks); outer QUIC DATAGRAMs (commit fd82d35, reverted) were no cheaper
 *       than the stream (40.7-50.0 against 37.1-43.5), because the outer QUIC packet processing, not the stream
 *       layer, was the cost; the loopback bridges then cost 1.2-2.4x direct.</li>
 *   <li><b>Idle reservation</b> (relay side, per reservation, 1 000 reservations beyond a first batch of 200, after
 *       GC and malloc_trim, net of the JIT): 41.1 KiB (47.8 in a run before the certificate change), against 65.8
 *       KiB for the code before in the same conditions (load 7-12 on 2 cores; earlier runs of that code 53.2-67.1).
 *       Live Java heap fell from 24.9 to 12.9 KiB (15.4 before the certificate change): the reservation stream is served without a parked virtual thread
 *       ({@code ReservationStream} on {@link dev.quiver.transport.LogicalStream#onReadable}: its stack chunk was
 *       4 KiB), an idle stream's send ring holds no array until it sends and then 64 bytes (was 4 KiB), the fair
 *       scheduler, the sender's handle table and the receive segment queue start with 2 slots (were 16, 64 and 16:
 *       about 1.5 KiB), and the peer's node ID is read from its certificate's DER, so Netty's lazy peer certificate
 *       is never parsed (a parsed one, about 1.5 KiB, lived as long as the connection). What is left on the heap is
 *       mostly Netty's: the QUIC channel, two stream channels and their pipelines. The rest is native and not ours
 *       to shrink: heaptrack of a relay holding 300 reservations shows per connection quiche's connection 15.9
 *       KiB, its sent-packet and ack vectors (kept at their handshake size) about 5, the path (with its recovery
 *       state) 2.8, the stream table 1.5, the empty receive-buffer trees of the two streams 1.1, BoringSSL's SSL
 *       state and session about 5.5: about 39 KiB before malloc overhead; the bench's "untracked" share is 32.1-37.6
 *       KiB. The DATAGRAM queue length and the flow-control windows cost nothing while idle (quiche allocates
 *       lazily). {@code RelayBench.RELAY_JVM_FLAGS} lists the JVM flags a relay should run with (with the JVM
 *       defaults the old code measured 115.6 KiB RSS). The UDP data path adds nothing per reservation: the relay has
 *       one data socket and one forwarding thread, and per circuit only its two tokens and bound addresses. The
 *       bench takes its readings while the JIT is quiet and nets out the JIT's code cache and compiler arenas (C2
 *       holding megabytes of arenas at one reading swung the raw delta by up to 20 KiB either way); what still moves
 *       the figure is where G1's free-ratio shrink lands and glibc's fragmentation after the handshakes.</li>
 *   <li><b>Idle CPU and capacity</b>: an idle reservation's session ticks its path watch once a second, not every
 *       25 ms (stream data brings the fast tick back). At 25 ms a relay with 1 000 reservations spent a third of a
 *       core waking its loop, and RelayBench's 1 100 nodes in one process a whole core (half of it in the kernel),
 *       so circuit set-ups waited 6-15 s for the target's answer to cross (median 9.5 s against the relay's 10 s
 *       timeout) and the 100 concurrent circuits failed. Now the relay's process idles at 12-17% of a core with
 *       1 200 reservations held, circuits set up in 0.6 s median (max 3.8-4.4 s, waves of 10 on a loaded 2-core
 *       machine) and 100 of 100 carry their message.</li>
 * </ul>
 *
 * <h2>Known limits</h2>
 * <ul>
 *   <li>Inner packets are sized for a path of unknown MTU ({@code udpPayloadBytes}) whenever the relay is not on
 *       loopback, also on a LAN that would carry more; raising {@code udpPayloadBytes} raises both (the namespace
 *       test asserts at most 1200-byte inner packets over its 1500-byte links). A relay on this host's own
 *       non-loopback address counts as remote.</li>
 *   <li>A side whose source address changes (NAT rebinding, or {@code QuiverNode#migrate}/{@code rebindPort}
 *       moving the dial socket its circuit uses) is not re-bound: its datagrams are dropped as foreign and the
 *       inner session times out, or moves to a direct path if it has one.</li>
 *   <li>The data socket's port is ephemeral unless {@code RelayServer.Builder#dataPort} fixes it (for
 *       firewalls).</li>
 * </ul>
 */
package dev.quiver.transport.relay;
