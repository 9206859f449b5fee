package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A blob store on the heap, for tests and small blobs: each blob and its outboard are byte arrays, so blobs are
 * limited to what a byte array holds ({@link #MAX_BLOB_LENGTH}). Thread-safe.
 */
public final class MemoryBlobStore implements BlobStore {

    /** Largest blob this store takes: 256 MiB, to keep test heaps sane. */
    public static final int MAX_BLOB_LENGTH = 256 << 20;

    private record Entry(byte[] data, byte[] outboard) { }

    private final Map<BlobHash, Entry> blobs = new ConcurrentHashMap<>();

    @Override
    public boolean has(BlobHash hash) {
        return blobs.containsKey(hash);
    }

    @Override
    public long size(BlobHash hash) throws IOException {
        return entry(hash).data.length;
    }

    @Override
    public RangeSource open(BlobHash hash) throws IOException {
        Entry e = entry(hash);
        return new RangeSource() {
            @Override
            public BlobHash hash() {
                return hash;
            }

            @Override
            public long length() {
                return e.data.length;
            }

            @Override
            public void readData(long offset, byte[] dst, int off, int len) {
                System.arraycopy(e.data, Math.toIntExact(offset), dst, off, len);
            }

            @Override
            public void readParent(long index, byte[] dst, int off) {
                System.arraycopy(e.outboard, Math.toIntExact(index * 64), dst, off, 64);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public BlobHash importFile(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BLOB_LENGTH) {
            throw new IOException(file + " is " + size + " bytes; MemoryBlobStore takes at most " + MAX_BLOB_LENGTH);
        }
        return importBytes(Files.readAllBytes(file));
    }

    @Override
    public BlobHash importBytes(byte[] bytes) throws IOException {
        if (bytes.length > MAX_BLOB_LENGTH) {
            throw new IOException(bytes.length + " bytes; MemoryBlobStore takes at most " + MAX_BLOB_LENGTH);
        }
        byte[] data = bytes.clone();
        BlobHash hash = new BlobHash(Blake3.hash(data));
        blobs.putIfAbsent(hash, new Entry(data, Blake3Tree.of(data.length).outboard(data)));
        return hash;
    }

    private Entry entry(BlobHash hash) throws BlobNotFoundException {
        Entry e = blobs.get(hash);
        if (e == null) {
            throw new BlobNotFoundException(hash);
        }
        return e;
    }
}
