package dev.quiver.transport.stream;

import io.netty.buffer.ByteBuf;

/**
 * Receives one chunk from {@link SendBuffer#emit}: the session frames it as {@code StreamData(id, offset, fin,
 * src[srcIndex, srcIndex + length))} and writes it to a path. {@code src} is the send buffer's own storage (or a
 * two-piece view of it), lent for the call: never write to it, and keep the bytes only as a retained slice (a zero-copy write). Those bytes
 * never change, and a retained slice keeps them alive after the send buffer lets go of them.
 */
@FunctionalInterface
public interface ChunkSink {

    /** One chunk; {@code length} may be 0 only for a FIN-only chunk. */
    void chunk(long offset, ByteBuf src, int srcIndex, int length, boolean fin);
}
