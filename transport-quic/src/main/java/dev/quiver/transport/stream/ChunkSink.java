package dev.quiver.transport.stream;

/**
 * Receives one chunk from {@link SendBuffer#emit}: the session frames it as {@code StreamData(id, offset, fin,
 * src[srcIndex, srcIndex + length))} and writes it to a path. The array is the send buffer's own storage: copy the
 * bytes out before returning, never keep the array.
 */
@FunctionalInterface
public interface ChunkSink {

    /** One chunk; {@code length} may be 0 only for a FIN-only chunk. */
    void chunk(long offset, byte[] src, int srcIndex, int length, boolean fin);
}
