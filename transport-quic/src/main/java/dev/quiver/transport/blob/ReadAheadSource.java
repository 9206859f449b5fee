package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;

/**
 * A {@link RangeSource} that reads blob data in 1 MiB blocks and serves the encoder's 16 KiB group reads from the
 * block, so a provider makes one read call per MiB instead of 64. Outboard reads pass through (64 bytes per
 * parent, mostly near each other). One per stream, reused for every blob the stream asks for ({@link #reset}), so
 * a stream asking for thousands of small files allocates its block once. Not thread-safe; does not close the
 * wrapped source.
 */
final class ReadAheadSource implements RangeSource {

    private static final int BLOCK = 1 << 20;

    private RangeSource source;
    private byte[] block;
    private long blockStart = -1;
    private int blockLen;

    /** Reads from {@code value} from now on (the block is allocated on the first read that needs it). */
    ReadAheadSource reset(RangeSource value) {
        source = value;
        blockStart = -1;
        return this;
    }

    @Override
    public BlobHash hash() {
        return source.hash();
    }

    @Override
    public long length() {
        return source.length();
    }

    @Override
    public void readData(long offset, byte[] dst, int off, int len) throws IOException {
        if (len > BLOCK) {
            source.readData(offset, dst, off, len);
            return;
        }
        if (blockStart < 0 || offset < blockStart || offset + len > blockStart + blockLen) {
            if (block == null) {
                block = new byte[BLOCK];
            }
            blockStart = offset;
            blockLen = (int) Math.min(BLOCK, source.length() - offset);
            source.readData(offset, block, 0, blockLen);
        }
        System.arraycopy(block, (int) (offset - blockStart), dst, off, len);
    }

    @Override
    public void readParent(long index, byte[] dst, int off) throws IOException {
        source.readParent(index, dst, off);
    }

    @Override
    public void close() {
        // The wrapped source belongs to the caller.
    }
}
