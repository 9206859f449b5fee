package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.BlobLimits;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which groups of a partial blob are verified, and its file form:
 * <pre>
 * +--------+---------+-----------+-------------+--------------------------+----------------------+
 * | "QVBM" | version | blob hash | blob length | bits: group i at byte    | BLAKE3 of all before |
 * | 4      | u8 = 1  | 32        | u64 BE      | i/8, bit i%8 (LSB first) | 32                   |
 * +--------+---------+-----------+-------------+--------------------------+----------------------+
 * </pre>
 * The trailing hash catches a damaged or foreign file; the length is capped before the bits are allocated.
 * Not thread-safe; owned by its {@link PartialBlob}.
 */
final class VerifiedBitmap {

    private static final byte[] MAGIC = {'Q', 'V', 'B', 'M'};
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 1 + 32 + 8;
    private static final int CHECK = 32;

    private final long groupCount;
    private final long[] words;
    private long setCount;

    VerifiedBitmap(long groupCount) {
        if (groupCount < 1 || groupCount > (BlobLimits.MAX_BLOB_LENGTH >>> 10) + 1) {
            throw new IllegalArgumentException("group count out of range: " + groupCount);
        }
        this.groupCount = groupCount;
        this.words = new long[(int) ((groupCount + 63) >>> 6)];
    }

    boolean get(long group) {
        return (words[(int) (group >>> 6)] >>> (group & 63) & 1) != 0;
    }

    void set(long group) {
        if (!get(group)) {
            words[(int) (group >>> 6)] |= 1L << (group & 63);
            setCount++;
        }
    }

    long setCount() {
        return setCount;
    }

    boolean isFull() {
        return setCount == groupCount;
    }

    /** The runs of unset groups, ascending. */
    List<GroupRange> missing() {
        List<GroupRange> out = new ArrayList<>();
        long g = 0;
        while (g < groupCount) {
            if (get(g)) {
                g++;
                continue;
            }
            long start = g;
            while (g < groupCount && !get(g)) {
                g++;
            }
            out.add(new GroupRange(start, g - start));
        }
        return out;
    }

    VerifiedBitmap copy() {
        VerifiedBitmap c = new VerifiedBitmap(groupCount);
        System.arraycopy(words, 0, c.words, 0, words.length);
        c.setCount = setCount;
        return c;
    }

    byte[] toBytes(BlobHash hash, long length) {
        int bitBytes = (int) ((groupCount + 7) >>> 3);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + bitBytes + CHECK);
        buf.put(MAGIC).put((byte) VERSION).put(hash.bytes()).putLong(length);
        for (int i = 0; i < bitBytes; i++) {
            buf.put((byte) (words[i >>> 3] >>> ((i & 7) * 8)));
        }
        byte[] out = buf.array();
        Blake3.hash(out, 0, HEADER + bitBytes, out, HEADER + bitBytes, CHECK);
        return out;
    }

    /** The file size of a bitmap of {@code groupCount} groups. */
    static long fileSize(long groupCount) {
        return HEADER + (groupCount + 7) / 8 + CHECK;
    }

    /**
     * The bitmap in {@code bytes}; {@code null} if the file is damaged (wrong size or checksum: start over); a
     * {@link PartialBlobException} if it is intact but records another blob or length.
     */
    static VerifiedBitmap fromBytes(byte[] bytes, BlobHash hash, long length, long groupCount)
            throws PartialBlobException {
        int bitBytes = (int) ((groupCount + 7) >>> 3);
        byte[] check = new byte[CHECK];
        if (bytes.length < HEADER + CHECK) {
            return null;
        }
        int body = bytes.length - CHECK;
        Blake3.hash(bytes, 0, body, check, 0, CHECK);
        if (!MessageDigest.isEqual(check, Arrays.copyOfRange(bytes, body, bytes.length))) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[4];
        buf.get(magic);
        int version = buf.get() & 0xFF;
        byte[] h = new byte[32];
        buf.get(h);
        long len = buf.getLong();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
            throw new PartialBlobException("not a version " + VERSION + " bitmap");
        }
        if (!new BlobHash(h).equals(hash) || len != length || body != HEADER + bitBytes) {
            throw new PartialBlobException("the bitmap records blob " + new BlobHash(h) + " of " + len
                    + " bytes, not " + hash + " of " + length);
        }
        VerifiedBitmap bm = new VerifiedBitmap(groupCount);
        for (long g = 0; g < groupCount; g++) {
            if ((bytes[HEADER + (int) (g >>> 3)] >>> (g & 7) & 1) != 0) {
                bm.set(g);
            }
        }
        return bm;
    }
}
