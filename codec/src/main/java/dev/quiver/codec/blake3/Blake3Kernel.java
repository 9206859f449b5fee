package dev.quiver.codec.blake3;

import java.lang.foreign.MemorySegment;

/**
 * The hot loops of BLAKE3. Implemented in pure Java (this module) and in native SIMD code (the native module);
 * every implementation returns identical bytes for identical arguments.
 *
 * <p>{@code keyWords} are the eight 32-bit key words: the IV for {@code hash}, the key for keyed hashing, the
 * context key for derive-key material. {@code flags} is 0 or one of {@link Blake3Flags#KEYED_HASH},
 * {@link Blake3Flags#DERIVE_KEY_CONTEXT}, {@link Blake3Flags#DERIVE_KEY_MATERIAL}; the kernel adds CHUNK_START,
 * CHUNK_END, PARENT and ROOT itself.
 *
 * <p>Implementations check every offset and length ({@link IndexOutOfBoundsException}) before touching memory,
 * so a bad argument never reaches native code. They keep no state between calls and are thread-safe.
 */
public interface Blake3Kernel {

    /** Short name for logs and benchmark tables, such as {@code java} or {@code native-avx2}. */
    String name();

    /**
     * Hashes {@code in[inOff, inOff + inLen)} as one whole message and writes {@code outLen} bytes of (extended)
     * output, starting at output byte 0, to {@code out[outOff, outOff + outLen)}.
     */
    void hash(int[] keyWords, int flags, byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen);

    /** As {@link #hash(int[], int, byte[], int, int, byte[], int, int)}, reading the whole of {@code in}. */
    void hash(int[] keyWords, int flags, MemorySegment in, byte[] out, int outOff, int outLen);

    /**
     * Writes the 32-byte chaining value of a subtree to {@code cvOut[cvOff, cvOff + 32)}: the subtree covers
     * {@code in[inOff, inOff + inLen)}, which starts at chunk index {@code chunkCounter} of the message.
     *
     * <p>The input must be one subtree of the message's BLAKE3 tree, never the whole message (the caller
     * finalises the root): {@code inLen > 0}, and {@code chunkCounter} is a multiple of the smallest power of two
     * that is at least the input's chunk count (1 KiB chunks, the last may be partial). Such subtrees compose:
     * the parent of two sibling subtrees' chaining values is the chaining value of their union. Verified streaming
     * (chunk groups) and multithreaded hashing stand on this.
     */
    void subtreeChainingValue(int[] keyWords, int flags, byte[] in, int inOff, int inLen, long chunkCounter,
                              byte[] cvOut, int cvOff);

    /** As {@link #subtreeChainingValue(int[], int, byte[], int, int, long, byte[], int)}, over the whole segment. */
    void subtreeChainingValue(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] cvOut, int cvOff);
}
