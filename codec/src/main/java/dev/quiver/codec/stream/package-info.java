/**
 * Logical stream identity: {@link dev.quiver.codec.stream.StreamId} (the only owner of the bit rules),
 * {@link dev.quiver.codec.stream.StreamKind}, {@link dev.quiver.codec.stream.PriorityClass} and the 8-byte
 * {@link dev.quiver.codec.stream.StreamHeader} every QUIC stream starts with.
 */
package dev.quiver.codec.stream;
