package dev.quiver.transport.quic;

import dev.quiver.transport.DialException;
import dev.quiver.transport.NodeId;
import dev.quiver.transport.PathEvent;
import dev.quiver.transport.QuicConfig;
import dev.quiver.transport.Ticket;
import dev.quiver.transport.identity.NodeIdentity;
import dev.quiver.transport.identity.PinnedPeerTrust;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A node's QUIC endpoint: it listens on one UDP socket (server codec) and dials from one more socket per path
 * class (client codec), all on one event loop group. Both directions authenticate with the node's identity and pin
 * the peer's node ID.
 *
 * <p>Why separate sockets: a Netty QUIC codec owns its datagram channel, and a server codec cannot originate
 * connections, so listening and dialing cannot share a socket without a connection-ID demultiplexer (future work
 * for hole punching). Dialing uses one socket for loopback destinations and one for everything else because the
 * UDP payload size is a per-codec quiche setting (see {@link QuicConfig}); each socket binds to the listener's IP
 * with an ephemeral port.
 *
 * <p>Thread-safety: {@link #dial} and {@link #close} may be called from any thread; the dial sockets are created
 * under this object's lock; everything else lives on the event loops.
 */
public final class QuicEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuicEndpoint.class);
    static final AttributeKey<DialAttempt> DIAL = AttributeKey.valueOf("quiver.dial");

    private enum PathClass { LOOPBACK, OTHER }

    /** Client addresses quiche keeps per accepted connection (its {@code active_connection_id_limit}). */
    private static final int MAX_CLIENT_PATHS = 16;

    private final QuicConfig config;
    private final NodeIdentity identity;
    private final ConnectionHandler handler;
    private final UdpTransport transport;
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final PinnedPeerTrust trust;
    private final Optional<KeyLogFile> keyLog;
    private final QuicSslContext clientTls;
    private final Channel listener;
    private final Map<PathClass, DialSocket> dialSockets = new EnumMap<>(PathClass.class);
    /** Relay circuit sides: their virtual peer addresses and tokens, for every socket's {@link CircuitHandler}. */
    private final CircuitTable circuits = new CircuitTable();
    private final CircuitHandler circuitHandler = new CircuitHandler(circuits);
    /** Dial sockets bound to a chosen local address on a chosen event loop (extra paths of a session). */
    private final Map<LocalSocketKey, ChannelFuture> boundDialSockets = new HashMap<>();
    private final Optional<ImpairmentPlan> impairments;
    private final Consumer<PathEvent> pathEvents;
    private boolean closed;

    private QuicEndpoint(Builder b) throws IOException {
        this.config = b.config;
        this.identity = b.identity;
        this.handler = b.handler;
        this.impairments = Optional.ofNullable(b.impairments);
        this.pathEvents = b.pathEvents;
        this.transport = UdpTransport.select(config.preferEpoll());
        this.trust = new PinnedPeerTrust(b.acceptClient);
        this.keyLog = KeyLogFile.open(config.keyLogFile());
        this.group = transport.newEventLoopGroup(config.eventLoopThreads(), "quiver-quic");
        this.connections = new DefaultChannelGroup(group.next());
        try {
            this.clientTls = QuicTls.client(identity, trust, keyLog);
            this.listener = bindListener(b.bindAddress);
        } catch (IOException | RuntimeException e) {
            shutdownGroup();
            closeKeyLog();
            throw e;
        }
        LOG.info("Node {} listening on {} ({}, {}, payload {}/{} bytes loopback/other)", identity.nodeId(),
                listener.localAddress(), transport, config.congestionControl(), config.loopbackUdpPayloadBytes(),
                config.udpPayloadBytes());
    }

    /** A builder; {@code identity} and {@code config} are required, the rest have defaults. */
    public static Builder builder(NodeIdentity identity, QuicConfig config) {
        return new Builder(identity, config);
    }

    private Channel bindListener(InetSocketAddress bindAddress) throws IOException {
        // The listener sends up to the largest configured payload; each dialer's advertised
        // max_udp_payload_size caps it per connection (RFC 9000 §18.2).
        int payload = Math.max(config.loopbackUdpPayloadBytes(), config.udpPayloadBytes());
        QuicSslContext serverTls = QuicTls.server(identity, trust, keyLog);
        QuicServerCodecBuilder codec = QuicCodecSettings.apply(new QuicServerCodecBuilder(), config, payload)
                // quiche keeps at most this many paths per connection, and a client that moved never frees the
                // slot of an address it left (it issues no connection IDs, so none is retired): the default of 2
                // allows a single move, and no second try when a validation goes silent (ValidationWatch).
                .activeConnectionIdLimit(MAX_CLIENT_PATHS)
                .sslContext(serverTls)
                .tokenHandler(NoRetryTokenHandler.INSTANCE)
                .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, transport.segmentAllocator(payload))
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel channel) {
                        channel.pipeline().addLast(lifecycle(false));
                    }
                })
                .streamHandler(ConnectionLifecycle.peerStreams(handler));
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(group), payload, config.socketBufferBytes())
                .handler(socketPipeline(codec.build(), null));
        return await(bootstrap.bind(bindAddress), "cannot bind QUIC listener to " + bindAddress);
    }

    /**
     * A UDP socket's pipeline, socket side first: the impairment layer (if configured), the relay circuits, then
     * {@code middle} (if any), then {@code top}: the QUIC codec behind its {@link ReadBurstGate} and {@link AckCoalescer}, or on a migration
     * target socket the rebinder's inbound hand-over (which feeds the original socket's gate and codec).
     */
    private ChannelInitializer<DatagramChannel> socketPipeline(ChannelHandler top, ChannelHandler middle) {
        boolean codec = !(top instanceof SocketRebinder.Inbound);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(DatagramChannel channel) {
                impairments.ifPresent(plan -> channel.pipeline().addLast(new ImpairmentHandler(plan)));
                channel.pipeline().addLast(circuitHandler);
                if (middle != null) {
                    channel.pipeline().addLast(middle);
                }
                if (codec) {
                    channel.pipeline().addLast(new ReadBurstGate(), new AckCoalescer());
                }
                channel.pipeline().addLast(top);
            }
        };
    }

    private ConnectionLifecycle lifecycle(boolean dialed) {
        return new ConnectionLifecycle(handler, connections, config.keepAliveInterval(), dialed, pathEvents,
                this::onReprobeRequest);
    }

    /** This node's ID. */
    public NodeId nodeId() {
        return identity.nodeId();
    }

    /** The address the listener is bound to (with the actual port if 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * A ticket for this node with its direct addresses: the bound address, or, when bound to a wildcard, the
     * addresses of every interface that is up (loopback and link-local left out unless nothing else exists),
     * at most {@link Ticket#MAX_DIRECT_ADDRESSES}.
     */
    public Ticket ticket() throws IOException {
        InetSocketAddress bound = localAddress();
        if (!bound.getAddress().isAnyLocalAddress()) {
            return Ticket.of(nodeId(), List.of(bound));
        }
        List<InetSocketAddress> routable = new ArrayList<>();
        List<InetSocketAddress> local = new ArrayList<>();
        boolean ipv4Only = bound.getAddress() instanceof Inet4Address;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress ip : Collections.list(nic.getInetAddresses())) {
                if (ipv4Only && !(ip instanceof Inet4Address)) {
                    continue;
                }
                InetSocketAddress address = new InetSocketAddress(ip, bound.getPort());
                (ip.isLoopbackAddress() || ip.isLinkLocalAddress() ? local : routable).add(address);
            }
        }
        List<InetSocketAddress> chosen = routable.isEmpty() ? local : routable;
        return Ticket.of(nodeId(), chosen.subList(0, Math.min(chosen.size(), Ticket.MAX_DIRECT_ADDRESSES)));
    }

    /** The socket flavour in use (epoll with GSO, or NIO). */
    public UdpTransport transport() {
        return transport;
    }

    /** The configuration this endpoint runs with. */
    public QuicConfig config() {
        return config;
    }

    /** The event loops that own this endpoint's sockets and connections. */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /**
     * Connects to the node in {@code ticket}, trying its direct addresses in order until one handshake succeeds.
     * Fails with the last error: a {@link dev.quiver.transport.PeerIdentityMismatchException} if the address
     * answered with another key, else a {@link DialException}.
     */
    public CompletableFuture<QuicConnection> dial(Ticket ticket) {
        if (ticket.directAddresses().isEmpty()) {
            return CompletableFuture.failedFuture(new DialException("ticket for node " + ticket.nodeId()
                    + " has no direct address (relay dialing is not available here)", null));
        }
        CompletableFuture<QuicConnection> attempt = dial(ticket.nodeId(), ticket.directAddresses().getFirst());
        for (InetSocketAddress next : ticket.directAddresses().subList(1, ticket.directAddresses().size())) {
            attempt = attempt.exceptionallyCompose(e -> dial(ticket.nodeId(), next));
        }
        return attempt;
    }

    /**
     * Connects to {@code expected} at {@code address}. The handshake fails unless the peer proves the key of
     * {@code expected}; the future then fails with {@link dev.quiver.transport.PeerIdentityMismatchException}
     * naming both node IDs. Other failures (unreachable, idle timeout during the handshake) are
     * {@link DialException}s.
     */
    public CompletableFuture<QuicConnection> dial(NodeId expected, InetSocketAddress address) {
        return dial(expected, address, null, null, null);
    }

    /**
     * Connects to {@code expected} at {@code address} as {@link #dial(NodeId, InetSocketAddress)} does, from a
     * socket bound to {@code localIp} (any free port; {@code null}: the default dial socket) that lives on
     * {@code loop} ({@code null}: any of the endpoint's loops). A session that owns several paths dials them all
     * on its own loop, so every path's events run on the loop that owns the session. {@code context} is handed
     * back by {@link QuicConnection#dialContext()} (also in {@link ConnectionHandler#onConnection}).
     */
    public CompletableFuture<QuicConnection> dial(NodeId expected, InetSocketAddress address, InetAddress localIp,
                                                  EventLoop loop, Object context) {
        Objects.requireNonNull(expected, "expected");
        CompletableFuture<QuicConnection> result = new CompletableFuture<>();
        CircuitSide circuit = circuits.byVirtual(address);
        PathClass pathClass = circuit != null ? circuitPathClass(circuit.relayDataAddress())
                : classifyDestination(address.getAddress());
        if (localIp != null || loop != null) {
            // Never waits: callable on the loop itself, whose thread then creates the socket (in its namespace).
            ChannelFuture bound;
            try {
                bound = boundDialSocket(pathClass, localIp, loop);
            } catch (IOException e) {
                result.completeExceptionally(new DialException(expected, address, e));
                return result;
            }
            bound.addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    connect(f.channel(), pathClass, expected, address, context, result);
                } else {
                    result.completeExceptionally(new DialException(expected, address, f.cause()));
                }
            });
            return result;
        }
        Channel socket;
        try {
            socket = dialSocket(pathClass);
        } catch (IOException e) {
            result.completeExceptionally(new DialException(expected, address, e));
            return result;
        }
        connect(socket, pathClass, expected, address, context, result);
        return result;
    }

    private void connect(Channel socket, PathClass pathClass, NodeId expected, InetSocketAddress address,
                         Object context, CompletableFuture<QuicConnection> result) {
        DialAttempt attempt = new DialAttempt(expected, context);
        // Through a relay circuit every packet grows by its token: GSO batches are sized for the larger datagrams.
        int datagramBytes = payloadBytes(pathClass)
                + (circuits.byVirtual(address) != null ? CircuitTable.TOKEN_BYTES : 0);
        QuicChannel.newBootstrap(socket)
                .attr(DIAL, attempt)
                .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                        transport.segmentAllocator(datagramBytes))
                .handler(lifecycle(true))
                .streamHandler(ConnectionLifecycle.peerStreams(handler))
                .remoteAddress(address)
                .connect()
                .addListener((Future<QuicChannel> f) -> finishDial(f, attempt, address, result));
    }

    private void finishDial(Future<QuicChannel> f, DialAttempt attempt, InetSocketAddress address,
                            CompletableFuture<QuicConnection> result) {
        QuicSslEngine engine = attempt.engine;
        Optional<? extends Exception> mismatch = engine == null ? Optional.empty() : trust.failure(engine);
        if (engine != null) {
            trust.forget(engine);
        }
        if (f.isSuccess()) {
            QuicChannel channel = f.getNow();
            // Netty completes the connect promise just before it fires channelActive, where the lifecycle
            // handler creates the connection: look once that has run.
            channel.eventLoop().execute(() -> {
                QuicConnection connection = channel.attr(ConnectionLifecycle.CONNECTION).get();
                if (connection != null) {
                    result.complete(connection);
                } else {
                    result.completeExceptionally(new DialException(attempt.expected, address,
                            new IllegalStateException("connection closed right after its handshake")));
                }
            });
        } else if (mismatch.isPresent()) {
            result.completeExceptionally(mismatch.get());
        } else {
            result.completeExceptionally(new DialException(attempt.expected, address, f.cause()));
        }
    }

    /**
     * Registers this node's side of a relay circuit: {@code token} (16 bytes) names it at the relay's data socket
     * {@code relayData}. QUIC connections reach the peer behind the relay at the side's
     * {@link CircuitSide#virtualAddress()}: a dialing side's packets leave from the dial socket that
     * {@link #dial(NodeId, InetSocketAddress)} uses for that address, an accepting side's from the listener (the
     * peer dials it). Bind datagrams start at once from that socket. Connections through a relay on loopback use
     * the loopback payload size, all others {@link QuicConfig#udpPayloadBytes()} (a path of unknown MTU; the
     * token adds 16 bytes). Call it on a thread of the node's network namespace: it may bind the dial socket.
     *
     * @throws IOException if the endpoint is closed or the dial socket cannot be bound
     */
    public CircuitSide openCircuitSide(InetSocketAddress relayData, byte[] token, boolean dialing)
            throws IOException {
        Channel socket = dialing ? dialSocket(circuitPathClass(relayData)) : listener;
        CircuitSide side = circuits.register(relayData, token);
        ChannelHandlerContext ctx = socket.pipeline().context(circuitHandler);
        if (ctx == null) {
            side.close();
            throw new IOException("socket " + socket.localAddress() + " is closed");
        }
        side.startBinding(ctx);
        return side;
    }

    /** A relay on loopback carries loopback-sized packets; any other is a path of unknown MTU. */
    private static PathClass circuitPathClass(InetSocketAddress relayData) {
        return classify(relayData.getAddress());
    }

    private static PathClass classify(InetAddress address) {
        return address.isLoopbackAddress() ? PathClass.LOOPBACK : PathClass.OTHER;
    }

    /** A destination among this host's own addresses goes over the loopback device whatever its kind. */
    private static PathClass classifyDestination(InetAddress address) {
        return HostAddresses.routesOverLoopback(address) ? PathClass.LOOPBACK : PathClass.OTHER;
    }

    private int payloadBytes(PathClass pathClass) {
        return pathClass == PathClass.LOOPBACK ? config.loopbackUdpPayloadBytes() : config.udpPayloadBytes();
    }

    private synchronized Channel dialSocket(PathClass pathClass) throws IOException {
        if (closed) {
            throw new IOException("endpoint is closed");
        }
        DialSocket existing = dialSockets.get(pathClass);
        if (existing != null && existing.channel.isActive()) {
            return existing.channel;
        }
        int payload = payloadBytes(pathClass);
        QuicClientCodecBuilder codec = QuicCodecSettings.apply(new QuicClientCodecBuilder(), config, payload)
                .sslEngineProvider(this::newClientEngine);
        SocketRebinder rebinder = new SocketRebinder(payload);
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(group), payload, config.socketBufferBytes())
                .handler(socketPipeline(codec.build(), rebinder));
        Channel socket = await(bootstrap.bind(new InetSocketAddress(localAddress().getAddress(), 0)),
                "cannot bind a dial socket on " + localAddress().getAddress());
        dialSockets.put(pathClass, new DialSocket(socket, rebinder, payload));
        LOG.debug("Dial socket for {} paths on {} (payload {} bytes)", pathClass, socket.localAddress(), payload);
        return socket;
    }

    private synchronized ChannelFuture boundDialSocket(PathClass pathClass, InetAddress localIp, EventLoop loop)
            throws IOException {
        if (closed) {
            throw new IOException("endpoint is closed");
        }
        InetAddress ip = localIp != null ? localIp : localAddress().getAddress();
        EventLoopGroup on = loop != null ? loop : group;
        LocalSocketKey key = new LocalSocketKey(pathClass, ip, loop);
        ChannelFuture existing = boundDialSockets.get(key);
        if (existing != null && (!existing.isDone() || existing.channel().isActive())) {
            return existing;
        }
        int payload = payloadBytes(pathClass);
        QuicClientCodecBuilder codec = QuicCodecSettings.apply(new QuicClientCodecBuilder(), config, payload)
                .sslEngineProvider(this::newClientEngine);
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(on), payload, config.socketBufferBytes())
                .handler(socketPipeline(codec.build(), null));
        ChannelFuture socket = bootstrap.bind(new InetSocketAddress(ip, 0));
        boundDialSockets.put(key, socket);
        socket.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                LOG.debug("Dial socket for {} paths on {} (payload {} bytes)", pathClass, f.channel().localAddress(),
                        payload);
            } else {
                LOG.debug("Cannot bind a dial socket on {}: {}", ip, f.cause().toString());
            }
        });
        return socket;
    }

    /**
     * Moves the dial socket that carries connections to {@code newLocal}'s kind of address (loopback or other)
     * to a new UDP socket bound to {@code newLocal} with an ephemeral port, under its live connections: the
     * client side of connection migration (RFC 9000 §9). The server validates the new path and migrates; the
     * connections, their streams and quiche's state are untouched. Sockets are created on the calling thread
     * (which matters for network namespaces). Blocks briefly; do not call on an event loop.
     *
     * @return the new local address datagrams leave from
     * @throws IOException if there is no such dial socket (nothing dialed yet) or {@code newLocal} cannot be bound
     */
    public InetSocketAddress migrate(InetAddress newLocal) throws IOException {
        Objects.requireNonNull(newLocal, "newLocal");
        DialSocket socket;
        synchronized (this) {
            socket = dialSockets.get(classify(newLocal));
        }
        if (socket == null || !socket.channel.isActive()) {
            throw new IOException("no dial socket for " + classify(newLocal) + " paths to move to " + newLocal
                    + ": nothing has been dialed from it");
        }
        return moveDialSocket(socket, new InetSocketAddress(newLocal, 0));
    }

    /**
     * Moves every dial socket to a new ephemeral port on its current IP, as a NAT rebinding would; see
     * {@link #migrate}.
     *
     * @return the new local addresses
     */
    public List<InetSocketAddress> rebindPort() throws IOException {
        List<DialSocket> sockets;
        synchronized (this) {
            sockets = dialSockets.values().stream().filter(s -> s.channel.isActive()).toList();
        }
        List<InetSocketAddress> moved = new ArrayList<>();
        for (DialSocket socket : sockets) {
            InetAddress ip = socket.rebinder.effectiveLocalAddress().getAddress();
            moved.add(moveDialSocket(socket, new InetSocketAddress(ip, 0)));
        }
        return moved;
    }

    private InetSocketAddress moveDialSocket(DialSocket socket, InetSocketAddress bindTo) throws IOException {
        try {
            return moveDialSocket(socket, bindTo, false).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("cannot move dial socket " + socket.channel.localAddress() + " to " + bindTo,
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while moving dial socket " + socket.channel.localAddress(), e);
        } catch (TimeoutException e) {
            throw new IOException("moving dial socket " + socket.channel.localAddress() + " to " + bindTo
                    + " took more than 5 s", e);
        }
    }

    /**
     * Binds a new UDP socket to {@code bindTo} (created on the calling thread, so in its network namespace) and
     * moves {@code socket}'s traffic there on its event loop, then starts the probes and records
     * {@code LOCAL_REBOUND} on every connection of the socket. Never blocks; callable on the loop.
     */
    private CompletableFuture<InetSocketAddress> moveDialSocket(DialSocket socket, InetSocketAddress bindTo,
                                                                boolean reprobe) {
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(socket.channel.eventLoop()),
                socket.payloadBytes, config.socketBufferBytes())
                .handler(socketPipeline(socket.rebinder.inbound(), null));
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        bootstrap.bind(bindTo).addListener((ChannelFuture f) -> {
            // Runs on the dial socket's loop: the new socket was registered there.
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot bind a migration socket on " + bindTo + ": "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel target = f.channel();
            if (!socket.channel.isActive()) {
                target.close();
                result.completeExceptionally(new IOException("dial socket " + socket.channel.localAddress()
                        + " closed while moving"));
                return;
            }
            socket.rebinder.moveTo(target, reprobe);
            InetSocketAddress newLocal = (InetSocketAddress) target.localAddress();
            announceMove(socket.channel, newLocal);
            result.complete(newLocal);
        });
        return result;
    }

    private void announceMove(Channel dialSocket, InetSocketAddress newLocal) {
        for (Channel connection : connections) {
            if (connection.parent() == dialSocket) {
                QuicConnection c = connection.attr(ConnectionLifecycle.CONNECTION).get();
                if (c != null) {
                    PathProbes.afterMove(c.channel());
                    PathEvent event = new PathEvent(PathEvent.Kind.LOCAL_REBOUND, c.peer(), true, newLocal,
                            c.remoteAddress(), System.nanoTime());
                    c.recordPathEvent(event);
                    pathEvents.accept(event);
                }
            }
        }
    }

    /**
     * The server of {@code connection} asks us to move again because its validation of our address
     * {@code unvalidated} went silent ({@link ValidationWatch}): move the connection's dial socket to a fresh port
     * on the address it sends from now, if the rebinder admits it. Runs on the connection's loop.
     */
    private void onReprobeRequest(QuicConnection connection, InetSocketAddress unvalidated) {
        DialSocket socket;
        synchronized (this) {
            socket = dialSockets.values().stream().filter(s -> s.channel == connection.channel().parent())
                    .findFirst().orElse(null);
        }
        if (socket == null || !socket.rebinder.admitReprobe(unvalidated)) {
            LOG.debug("Ignoring a request from {} to move again from {}", connection, unvalidated);
            return;
        }
        InetSocketAddress from = new InetSocketAddress(socket.rebinder.effectiveLocalAddress().getAddress(), 0);
        LOG.info("{} has not validated our new address; moving dial socket {} again", connection,
                socket.channel.localAddress());
        moveDialSocket(socket, from, true).whenComplete((moved, e) -> {
            if (e != null) {
                LOG.warn("Cannot move dial socket {} again: {}", socket.channel.localAddress(), e.getMessage());
            }
        });
    }

    /** Runs on the event loop when quiche starts a client handshake; pins the dial's expected node ID. */
    private QuicSslEngine newClientEngine(QuicChannel channel) {
        QuicSslEngine engine = clientTls.newEngine(channel.alloc());
        DialAttempt attempt = channel.attr(DIAL).get();
        // No attempt means someone bootstrapped a connection around dial(): leave it unpinned, which fails closed.
        if (attempt != null) {
            attempt.engine = engine;
            trust.expect(engine, attempt.expected);
        }
        return engine;
    }

    private static Channel await(ChannelFuture future, String what) throws IOException {
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException(what + ": " + future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }

    /**
     * Closes every connection (application error 0), the sockets and the event loops, and waits for them. Call it
     * from outside the event loops (it blocks).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        listener.close().awaitUninterruptibly();
        // Closed outside the lock: a loop thread may be waiting for it in boundDialSocket (a session dialing a
        // path), and a socket's close runs on that loop; waiting while holding the lock deadlocked.
        List<Channel> sockets = new ArrayList<>();
        synchronized (this) {
            dialSockets.values().forEach(socket -> sockets.add(socket.channel));
            dialSockets.clear();
            boundDialSockets.values().forEach(socket -> sockets.add(socket.channel()));
            boundDialSockets.clear();
        }
        sockets.forEach(socket -> socket.close().awaitUninterruptibly());
        shutdownGroup();
        closeKeyLog();
        LOG.debug("Node {} closed", identity.nodeId());
    }

    private void closeKeyLog() {
        keyLog.ifPresent(log -> {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("Cannot close the key log: {}", e.getMessage());
            }
        });
    }

    private void shutdownGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A dial socket: the channel the client codec lives on, its migration handler and its payload size. */
    private record DialSocket(Channel channel, SocketRebinder rebinder, int payloadBytes) {
    }

    /** Per-dial state shared between {@link #dial} and the engine provider; the engine is set on the loop. */
    static final class DialAttempt {
        final NodeId expected;
        final Object context;
        volatile QuicSslEngine engine;

        DialAttempt(NodeId expected, Object context) {
            this.expected = expected;
            this.context = context;
        }
    }

    /** A dial socket's identity: path class, local IP and owning loop ({@code null}: any). */
    private record LocalSocketKey(PathClass pathClass, InetAddress ip, EventLoop loop) {
    }

    /** Builder of an endpoint; not thread-safe. */
    public static final class Builder {
        private final NodeIdentity identity;
        private final QuicConfig config;
        private InetSocketAddress bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private ConnectionHandler handler = ConnectionHandler.REJECT_STREAMS;
        private Predicate<NodeId> acceptClient = id -> true;
        private ImpairmentPlan impairments;
        private Consumer<PathEvent> pathEvents = event -> { };

        private Builder(NodeIdentity identity, QuicConfig config) {
            this.identity = Objects.requireNonNull(identity, "identity");
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Where to listen (default: loopback, ephemeral port). Dial sockets bind to the same IP, so bind to
         * {@code ::} for dual-stack IPv4/IPv6 dialing; a loopback bind can only reach loopback peers.
         */
        public Builder bindAddress(InetSocketAddress value) {
            bindAddress = value;
            return this;
        }

        /** What to do with connections and peer-opened streams (default: reject streams). */
        public Builder handler(ConnectionHandler value) {
            handler = value;
            return this;
        }

        /** Which client node IDs the listener accepts (default: any node that proves its key). */
        public Builder acceptClients(Predicate<NodeId> value) {
            acceptClient = value;
            return this;
        }

        /**
         * Puts the in-process impairment layer (drop, delay, reorder; for tests) under every UDP socket of this
         * endpoint, driven by {@code plan} (default: none, no handler at all).
         */
        public Builder impairments(ImpairmentPlan plan) {
            impairments = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Called on the event loop for every {@link PathEvent} of every connection; must not block. */
        public Builder pathEvents(Consumer<PathEvent> listener) {
            pathEvents = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Binds the listener and starts the event loops.
         *
         * @throws IOException if the socket cannot be bound or the key log cannot be opened
         */
        public QuicEndpoint bind() throws IOException {
            return new QuicEndpoint(this);
        }
    }
}
