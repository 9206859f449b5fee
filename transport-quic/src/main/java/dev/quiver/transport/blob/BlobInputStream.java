package dev.quiver.transport.blob;

import dev.quiver.codec.blob.RangeSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** A stored blob read front to back as a stream (a manifest, for one); closing it closes the source. */
final class BlobInputStream extends InputStream {

    private final RangeSource source;
    private long position;

    BlobInputStream(RangeSource source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        long left = source.length() - position;
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        source.readData(position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
