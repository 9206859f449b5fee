package dev.quiver.transport.stream;

import java.nio.ByteBuffer;

/**
 * Receives one chunk from {@link SendBuffer#emit}: the session frames it as {@code StreamData(id, offset, fin, src)}
 * and writes it to a path. {@code src} (position 0, limit the chunk's length) is a view of the send buffer's own
 * direct storage: never write to it. Its bytes stay unchanged until the peer acknowledges them (a growing ring copies
 * them to a new buffer and leaves the old one as it is), so a sink may pass the view on to the transport without
 * copying. A view still queued on a path that stalled, whose bytes were then re-sent on another path, acknowledged,
 * and overwritten, can only carry bytes the peer already has at those offsets, and a receiver drops those.
 */
@FunctionalInterface
public interface ChunkSink {

    /** One chunk of {@code src.remaining()} bytes at {@code offset}; empty only for a FIN-only chunk. */
    void chunk(long offset, ByteBuffer src, boolean fin);
}
