/**
 * The Netty-free core of logical streams: {@link dev.quiver.transport.stream.SendBuffer} (window, credit, acks,
 * re-sends of ranges lost with a path), {@link dev.quiver.transport.stream.ReceiveBuffer} (bounded reassembly,
 * acks, credit updates) and {@link dev.quiver.transport.stream.RangeSet}. The session layer frames their output
 * with {@code dev.quiver.codec.frame} and runs them on the connection's event loop.
 */
package dev.quiver.transport.stream;
