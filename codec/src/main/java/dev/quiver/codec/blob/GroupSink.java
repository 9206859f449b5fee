package dev.quiver.codec.blob;

import java.io.IOException;

/** Receives verified groups from a {@link VerifiedRangeDecoder}, in ascending index order. */
@FunctionalInterface
public interface GroupSink {

    /**
     * Group {@code groupIndex} (at byte {@code offset} of the blob) is {@code data[off, off + len)} and verified
     * against the root hash. The array is reused after the call returns: copy or write it out now.
     */
    void accept(long groupIndex, long offset, byte[] data, int off, int len) throws IOException;
}
