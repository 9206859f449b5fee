package dev.quiver.codec.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Tree;

/** A {@link RangeSource} over a byte array and its outboard from {@link Blake3Tree}, for codec tests. */
final class ArraySource implements RangeSource {

    private final byte[] data;
    private final byte[] outboard;
    private final BlobHash hash;

    ArraySource(byte[] data) {
        this.data = data;
        this.outboard = Blake3Tree.of(data.length).outboard(data);
        this.hash = new BlobHash(Blake3.hash(data));
    }

    byte[] outboard() {
        return outboard;
    }

    @Override
    public BlobHash hash() {
        return hash;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public void readData(long offset, byte[] dst, int off, int len) {
        System.arraycopy(data, (int) offset, dst, off, len);
    }

    @Override
    public void readParent(long index, byte[] dst, int off) {
        System.arraycopy(outboard, (int) index * 64, dst, off, 64);
    }

    @Override
    public void close() {
    }
}
