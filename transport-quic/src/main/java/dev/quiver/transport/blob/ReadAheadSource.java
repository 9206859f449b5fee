package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;

/**
 * A {@link RangeSource} that reads blob data in 1 MiB blocks and serves the encoder's 16 KiB group reads from the
 * block, so a provider makes one read call per MiB instead of 64. Outboard entries are read the same way, 1024
 * parents (64 KiB) at a time: the encoder asks for one 64-byte parent per group, in pre-order, which is the order it
 * walks the data in, so a block read at the first parent a request needs serves the next ones too (one read call
 * per 64 KiB of outboard instead of one per 16 KiB of data). One per stream, reused for every blob the stream asks for ({@link #reset}), so
 * a stream asking for thousands of small files allocates its block once. Not thread-safe; does not close the
 * wrapped source.
 */
final class ReadAheadSource implements RangeSource {

    private static final int BLOCK = 1 << 20;
    private static final int PARENT_BYTES = 64;
    private static final int PARENT_BLOCK = 1024;

    private RangeSource source;
    private byte[] block;
    private long blockStart = -1;
    private int blockLen;
    private byte[] parents;
    private long parentsStart = -1;
    private int parentsLen;
    private long parentCount;

    /** Reads from {@code value} from now on (the block is allocated on the first read that needs it). */
    ReadAheadSource reset(RangeSource value) {
        source = value;
        blockStart = -1;
        parentsStart = -1;
        parentCount = Blake3Tree.of(value.length()).outboardSize() / PARENT_BYTES;
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
        if (index < 0 || index >= parentCount) {
            source.readParent(index, dst, off); // the source reports the bad index
            return;
        }
        if (parentsStart < 0 || index < parentsStart || index >= parentsStart + parentsLen) {
            if (parents == null) {
                parents = new byte[PARENT_BLOCK * PARENT_BYTES];
            }
            parentsStart = index;
            parentsLen = (int) Math.min(PARENT_BLOCK, parentCount - index);
            source.readParents(index, parentsLen, parents, 0);
        }
        System.arraycopy(parents, (int) (index - parentsStart) * PARENT_BYTES, dst, off, PARENT_BYTES);
    }

    @Override
    public void readParents(long first, int count, byte[] dst, int off) throws IOException {
        source.readParents(first, count, dst, off);
    }

    @Override
    public void close() {
        // The wrapped source belongs to the caller.
    }
}
