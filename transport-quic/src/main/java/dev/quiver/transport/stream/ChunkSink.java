package dev.quiver.transport.stream;

/**
 * Receives one chunk from {@link SendBuffer#emit}: the session frames it as {@code StreamData(id, offset, fin,
 * src[srcIndex, srcIndex + length))} and writes it to a path. The array is the send buffer's own storage: never
 * write to it. Those bytes stay unchanged until they are acknowledged (a growing ring copies them to a new array and
 * leaves the old one as it is), so a sink may pass a slice on without copying (a zero-copy write) as long as the
 * transport has consumed it before the peer can acknowledge it.
 */
@FunctionalInterface
public interface ChunkSink {

    /** One chunk; {@code length} may be 0 only for a FIN-only chunk. */
    void chunk(long offset, byte[] src, int srcIndex, int length, boolean fin);
}
