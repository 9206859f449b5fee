package dev.quiver.codec.blob;

import dev.quiver.codec.blob.InvalidManifestException.Reason;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a collection manifest (layout: {@link ManifestWriter}) one entry at a time, checking every path
 * ({@link ManifestPaths}), the canonical order (which catches duplicates and file/directory clashes with only the
 * previous path in memory), every cap, and the final entry count. A caller that writes files must read the whole
 * manifest once to its end before writing anything (a manifest may turn bad at its last entry), then read it
 * again to write. Not thread-safe.
 */
public final class ManifestReader {

    private final InputStream in;
    private final byte[] hash = new byte[BlobHash.LENGTH];
    private byte[] previous;
    private long count;
    private boolean ended;

    /** A reader of the manifest in {@code in}; reads and checks the header now. */
    public ManifestReader(InputStream in) throws IOException, InvalidManifestException {
        this.in = new BufferedInputStream(in, 64 * 1024);
        byte[] magic = readBytes(4, "header");
        int version = readByte("header");
        if (!Arrays.equals(magic, ManifestWriter.MAGIC) || version != ManifestWriter.VERSION) {
            throw new InvalidManifestException(Reason.MALFORMED, "not a version " + ManifestWriter.VERSION
                    + " collection manifest");
        }
    }

    /** The next entry, or {@code null} after the last (once the end marker, count and end of stream checked). */
    public ManifestEntry next() throws IOException, InvalidManifestException {
        if (ended) {
            return null;
        }
        long pathLen = readVarint("path length", BlobLimits.MAX_PATH_BYTES);
        if (pathLen == 0) {
            long declared = readVarint("entry count", BlobLimits.MAX_MANIFEST_ENTRIES);
            if (declared != count) {
                throw new InvalidManifestException(Reason.MALFORMED, "declares " + declared + " entries, holds "
                        + count);
            }
            if (in.read() != -1) {
                throw new InvalidManifestException(Reason.MALFORMED, "bytes after the end marker");
            }
            ended = true;
            return null;
        }
        if (count == BlobLimits.MAX_MANIFEST_ENTRIES) {
            throw new InvalidManifestException(Reason.TOO_MANY_ENTRIES, "more than " + BlobLimits.MAX_MANIFEST_ENTRIES);
        }
        byte[] path = readBytes((int) pathLen, "path");
        String name = ManifestPaths.decode(path);
        if (previous != null) {
            ManifestOrder.check(previous, path);
        }
        long size = readVarint("size", BlobLimits.MAX_BLOB_LENGTH);
        readFully(hash, "hash");
        int mode = (int) readVarint("mode", ManifestEntry.MAX_MODE);
        previous = path;
        count++;
        return new ManifestEntry(name, size, new BlobHash(hash), mode);
    }

    /** Entries read so far. */
    public long count() {
        return count;
    }

    private int readByte(String field) throws IOException, InvalidManifestException {
        int b = in.read();
        if (b < 0) {
            throw new InvalidManifestException(Reason.MALFORMED, "stream ends in " + field + " of entry " + count);
        }
        return b;
    }

    private byte[] readBytes(int n, String field) throws IOException, InvalidManifestException {
        byte[] b = new byte[n];
        readFully(b, field);
        return b;
    }

    private void readFully(byte[] b, String field) throws IOException, InvalidManifestException {
        if (in.readNBytes(b, 0, b.length) != b.length) {
            throw new InvalidManifestException(Reason.MALFORMED, "stream ends in " + field + " of entry " + count);
        }
    }

    /** A QUIC varint (RFC 9000 §16), capped at {@code max}. */
    private long readVarint(String field, long max) throws IOException, InvalidManifestException {
        int first = readByte(field);
        int len = 1 << (first >>> 6);
        long v = first & 0x3F;
        for (int i = 1; i < len; i++) {
            v = v << 8 | readByte(field);
        }
        if (v > max) {
            throw new InvalidManifestException(field.equals("path length") ? Reason.TOO_LONG : Reason.MALFORMED,
                    field + " " + v + " exceeds " + max + " in entry " + count);
        }
        return v;
    }
}
