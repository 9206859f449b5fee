package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stored blob opened for serving: positional reads of data and outboard, safe from several threads. A one-group
 * blob has no parents and is opened without its (empty) outboard.
 */
final class FsRangeSource implements RangeSource {

    private final BlobHash hash;
    private final long length;
    private final FileChannel data;
    private final FileChannel outboard;

    FsRangeSource(BlobHash hash, long length, FileChannel data, FileChannel outboard) {
        this.hash = hash;
        this.length = length;
        this.data = data;
        this.outboard = outboard;
    }

    @Override
    public BlobHash hash() {
        return hash;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void readData(long offset, byte[] dst, int off, int len) throws IOException {
        FileIo.readFully(data, ByteBuffer.wrap(dst, off, len), offset);
    }

    @Override
    public void readParent(long index, byte[] dst, int off) throws IOException {
        if (outboard == null) {
            throw new IOException(hash + " is one group and has no parent " + index);
        }
        FileIo.readFully(outboard, ByteBuffer.wrap(dst, off, 64), index * 64);
    }

    @Override
    public void readParents(long first, int count, byte[] dst, int off) throws IOException {
        if (outboard == null) {
            throw new IOException(hash + " is one group and has no parents");
        }
        FileIo.readFully(outboard, ByteBuffer.wrap(dst, off, 64 * count), first * 64);
    }

    @Override
    public void close() throws IOException {
        try (data; outboard) {
            // closes both, even if one close fails (a null outboard is skipped)
        }
    }
}
