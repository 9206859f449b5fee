package dev.quiver.codec.blob;

import dev.quiver.codec.blob.InvalidManifestException.Reason;
import dev.quiver.codec.wire.WireWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes a collection manifest as a stream, one entry at a time, so 100 000 files never make one big message:
 * <pre>
 * +--------+---------+
 * | "QVCM" | version |                      header
 * | 4      | u8 = 1  |
 * +--------+---------+-------------+-----------+-------------+
 * | pathLen varint   | path UTF-8  | size      | hash 32     | mode varint  per entry, canonical order
 * | 1 .. 4096        |             | varint    |             | (ManifestPaths.compare)
 * +------------------+-------------+-----------+-------------+
 * | 0 (varint)       | entryCount varint     |                            end
 * +------------------+-----------------------+
 * </pre>
 * The writer refuses what a reader would refuse ({@link InvalidManifestException}), entries out of canonical
 * order included: sort them with {@link ManifestPaths#compare} first. Not thread-safe.
 */
public final class ManifestWriter {

    static final byte[] MAGIC = {'Q', 'V', 'C', 'M'};
    static final int VERSION = 1;

    private final OutputStream out;
    private final ByteBuffer scratch = ByteBuffer.allocate(8 + BlobLimits.MAX_PATH_BYTES + 8 + 32 + 8);
    private byte[] previous;
    private long count;
    private boolean finished;

    /** A writer onto {@code out} (buffer it; this writes one entry per call); writes the header now. */
    public ManifestWriter(OutputStream out) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        out.write(MAGIC);
        out.write(VERSION);
    }

    /** Appends {@code entry}, which must sort after the previous one. */
    public void add(ManifestEntry entry) throws IOException, InvalidManifestException {
        if (finished) {
            throw new IllegalStateException("manifest already finished");
        }
        byte[] path = ManifestPaths.encode(entry.path());
        if (previous != null) {
            ManifestOrder.check(previous, path);
        }
        if (count == BlobLimits.MAX_MANIFEST_ENTRIES) {
            throw new InvalidManifestException(Reason.TOO_MANY_ENTRIES, "more than "
                    + BlobLimits.MAX_MANIFEST_ENTRIES);
        }
        scratch.clear();
        WireWriter w = new WireWriter(scratch);
        w.writeVarint(path.length);
        scratch.put(path);
        w.writeVarint(entry.size());
        scratch.put(entry.hash().bytes());
        w.writeVarint(entry.mode());
        out.write(scratch.array(), 0, scratch.position());
        previous = path;
        count++;
    }

    /** Writes the end marker and the entry count; flushes. Adds nothing more afterwards. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        scratch.clear();
        new WireWriter(scratch).writeVarint(0).writeVarint(count);
        out.write(scratch.array(), 0, scratch.position());
        out.flush();
        finished = true;
    }
}
