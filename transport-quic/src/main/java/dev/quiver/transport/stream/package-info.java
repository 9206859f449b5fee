/**
 * The core of logical streams, free of channels and event loops: {@link dev.quiver.transport.stream.SendBuffer}
 * (window, credit, acks, re-sends of ranges lost with a path), {@link dev.quiver.transport.stream.ReceiveBuffer}
 * (bounded reassembly, acks, credit updates) and {@link dev.quiver.transport.stream.RangeSet}. The session layer
 * frames their output with {@code dev.quiver.codec.frame} and runs them on the connection's event loop. The one
 * Netty type here is {@code ByteBuf}: the receive side keeps the network's buffers (retained slices, released
 * exactly once) so a received byte is copied once, by the reader, instead of into a reassembly ring first.
 */
package dev.quiver.transport.stream;
