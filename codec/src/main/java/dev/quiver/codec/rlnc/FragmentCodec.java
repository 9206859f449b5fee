package dev.quiver.codec.rlnc;

import java.util.Objects;

/**
 * Storage form of a {@link Fragment}. All integers big-endian; one fragment fills the byte range it is parsed from.
 *
 * <pre>
 *  0               4       5               7               9              11
 *  +---------------+-------+---------------+---------------+---------------+
 *  | magic "QVFG"  |version|       k       |       n       |     index     |
 *  |  4 bytes      | u8=1  |  u16, 1..256  |  u16, k..256  |  u16, < n     |
 *  +---------------+-------+---------------+---------------+---------------+
 *  11                              19              23
 *  +-------------------------------+---------------+
 *  |          blob length          |fragment length|
 *  |    u64, 0..2^31 - 9           |u32 (*)        |
 *  +-------------------------------+---------------+
 *  23                                                              55
 *  +---------------------------------------------------------------+----------------------------+
 *  |                 BLAKE3 hash of the whole blob (32 bytes)       | payload: fragment length   |
 *  +---------------------------------------------------------------+----------------------------+
 *  (*) must equal max(1, ceil(blob length / k))
 * </pre>
 *
 * The parser checks every field before it allocates; it copies the payload only when exactly that many bytes follow.
 */
public final class FragmentCodec {

    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 55;
    /** The only version this codec writes and reads. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'Q', 'V', 'F', 'G'};

    private FragmentCodec() {
    }

    /** The stored bytes of {@code fragment}. */
    public static byte[] encode(Fragment fragment) {
        byte[] out = new byte[HEADER_BYTES + fragment.payload().length];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        out[4] = (byte) VERSION;
        putShort(out, 5, fragment.k());
        putShort(out, 7, fragment.n());
        putShort(out, 9, fragment.index());
        for (int i = 0; i < 8; i++) {
            out[11 + i] = (byte) (fragment.blobLength() >>> (56 - 8 * i));
        }
        int fragLen = fragment.payload().length;
        putShort(out, 19, fragLen >>> 16);
        putShort(out, 21, fragLen);
        System.arraycopy(fragment.blobHash(), 0, out, 23, Fragment.HASH_BYTES);
        System.arraycopy(fragment.payload(), 0, out, HEADER_BYTES, fragLen);
        return out;
    }

    /** Parses the fragment that fills {@code buf[off..off+len)} exactly. */
    public static Fragment parse(byte[] buf, int off, int len) throws MalformedFragmentException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER_BYTES) {
            throw new MalformedFragmentException("truncated header: " + len + " bytes, need " + HEADER_BYTES);
        }
        for (int i = 0; i < 4; i++) {
            if (buf[off + i] != MAGIC[i]) {
                throw new MalformedFragmentException("not a Quiver fragment: magic is not \"QVFG\"");
            }
        }
        int version = buf[off + 4] & 0xFF;
        if (version != VERSION) {
            throw new MalformedFragmentException("version " + version + ", this codec reads " + VERSION);
        }
        int k = getShort(buf, off + 5);
        int n = getShort(buf, off + 7);
        int index = getShort(buf, off + 9);
        if (k < 1 || n < k || n > Fragment.MAX_N) {
            throw new MalformedFragmentException("need 1 <= k <= n <= " + Fragment.MAX_N + ", got k = " + k
                    + ", n = " + n);
        }
        if (index >= n) {
            throw new MalformedFragmentException("index " + index + " not below n = " + n);
        }
        long blobLength = 0;
        for (int i = 0; i < 8; i++) {
            blobLength = blobLength << 8 | (buf[off + 11 + i] & 0xFF);
        }
        if (blobLength < 0 || blobLength > Fragment.MAX_BLOB_LENGTH) {
            throw new MalformedFragmentException("blob length " + Long.toUnsignedString(blobLength) + " outside 0.."
                    + Fragment.MAX_BLOB_LENGTH);
        }
        long fragLen = (long) getShort(buf, off + 19) << 16 | getShort(buf, off + 21);
        if (fragLen != Fragment.fragmentLength(blobLength, k)) {
            throw new MalformedFragmentException("fragment length " + fragLen + ", a " + blobLength
                    + "-byte blob with k = " + k + " has fragments of " + Fragment.fragmentLength(blobLength, k));
        }
        if (len - HEADER_BYTES != fragLen) {
            throw new MalformedFragmentException((len - HEADER_BYTES < fragLen ? "truncated payload: " : "trailing bytes: ")
                    + (len - HEADER_BYTES) + " bytes after the header, fragment length is " + fragLen);
        }
        byte[] hash = new byte[Fragment.HASH_BYTES];
        System.arraycopy(buf, off + 23, hash, 0, Fragment.HASH_BYTES);
        byte[] payload = new byte[(int) fragLen];
        System.arraycopy(buf, off + HEADER_BYTES, payload, 0, (int) fragLen);
        return new Fragment(k, n, index, blobLength, hash, payload);
    }

    /** Parses the fragment that fills {@code buf} exactly. */
    public static Fragment parse(byte[] buf) throws MalformedFragmentException {
        return parse(buf, 0, buf.length);
    }

    private static void putShort(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static int getShort(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }
}
