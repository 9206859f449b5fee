package dev.quiver.codec.rlnc;

/**
 * Wire form of a {@link CodedSymbol}. All integers big-endian. One symbol fills the whole byte range it is parsed
 * from (the framing layer delimits it); {@link #encodedLength} tells a stream reader how many bytes to expect once
 * it has the fixed header.
 *
 * <pre>
 *  0       1       2               4                               12              16              20
 *  +-------+-------+---------------+-------------------------------+---------------+---------------+
 *  |version| form  |       k       |         generation id         |  symbol size  |    length     |
 *  |  u8=1 |  u8   |  u16, 1..256  |              u64              | u32, 1..2^20  | u32 (*)       |
 *  +-------+-------+---------------+-------------------------------+---------------+---------------+
 *  | form body: form 0 SYSTEMATIC: u16 source index (< k)                                          |
 *  |            form 1 SEEDED:     u64 seed ({@link Coefficients})                                  |
 *  |            form 2 EXPLICIT:   k coefficient bytes, not all zero                                |
 *  +-----------------------------------------------------------------------------------------------+
 *  | payload: exactly "symbol size" bytes                                                          |
 *  +-----------------------------------------------------------------------------------------------+
 *  (*) true data length of the generation: (k - 1) * symbol size < length <= k * symbol size
 * </pre>
 *
 * The parser checks every field against its cap before it allocates, so the largest allocation garbage can cause
 * is one payload of 1 MiB, and only when that many bytes are actually present.
 */
public final class SymbolCodec {

    /** The only version this codec writes and reads. */
    public static final int VERSION = 1;
    /** Bytes before the form body. */
    public static final int FIXED_HEADER_BYTES = 20;

    private SymbolCodec() {
    }

    /** Bytes of {@code symbol} on the wire. */
    public static int encodedLength(CodedSymbol symbol) {
        return FIXED_HEADER_BYTES + bodyLength(symbol.form(), symbol.generation().k())
                + symbol.generation().symbolSize();
    }

    /**
     * Total bytes of the symbol whose fixed header is at {@code buf[off..off+20)}, checked as {@link #parse} checks
     * it: a stream reader calls this before buffering the rest.
     */
    public static int encodedLength(byte[] buf, int off) throws MalformedSymbolException {
        if (off < 0 || buf.length - off < FIXED_HEADER_BYTES) {
            throw new MalformedSymbolException("truncated header: need " + FIXED_HEADER_BYTES + " bytes");
        }
        Header h = readHeader(buf, off);
        return FIXED_HEADER_BYTES + bodyLength(h.form, h.k) + h.symbolSize;
    }

    /** The wire bytes of {@code symbol}. */
    public static byte[] encode(CodedSymbol symbol) {
        byte[] out = new byte[encodedLength(symbol)];
        encode(symbol, out, 0);
        return out;
    }

    /** Writes {@code symbol} into {@code dst} at {@code off}; returns the bytes written. */
    public static int encode(CodedSymbol symbol, byte[] dst, int off) {
        GenerationInfo g = symbol.generation();
        int total = encodedLength(symbol);
        java.util.Objects.checkFromIndexSize(off, total, dst.length);
        int p = off;
        dst[p++] = (byte) VERSION;
        dst[p++] = (byte) symbol.form().wire;
        p = putShort(dst, p, g.k());
        p = putLong(dst, p, g.generationId());
        p = putInt(dst, p, g.symbolSize());
        p = putInt(dst, p, g.length());
        switch (symbol.form()) {
            case SYSTEMATIC -> p = putShort(dst, p, symbol.sourceIndex());
            case SEEDED -> p = putLong(dst, p, symbol.seed());
            case EXPLICIT -> {
                byte[] c = symbol.coefficients();
                System.arraycopy(c, 0, dst, p, c.length);
                p += c.length;
            }
        }
        System.arraycopy(symbol.payload(), 0, dst, p, g.symbolSize());
        return total;
    }

    /** Parses the symbol that fills {@code buf[off..off+len)} exactly. */
    public static CodedSymbol parse(byte[] buf, int off, int len) throws MalformedSymbolException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (len < FIXED_HEADER_BYTES) {
            throw new MalformedSymbolException("truncated header: " + len + " bytes, need " + FIXED_HEADER_BYTES);
        }
        Header h = readHeader(buf, off);
        int body = bodyLength(h.form, h.k);
        long expected = (long) FIXED_HEADER_BYTES + body + h.symbolSize;
        if (len != expected) {
            throw new MalformedSymbolException((len < expected ? "truncated symbol: " : "trailing bytes: ") + len
                    + " bytes, the header announces " + expected + " (form " + h.form + ", k = " + h.k
                    + ", symbol size " + h.symbolSize + ")");
        }
        GenerationInfo g = new GenerationInfo(h.generationId, h.k, h.symbolSize, h.length);
        int p = off + FIXED_HEADER_BYTES;
        byte[] payload = new byte[h.symbolSize];
        System.arraycopy(buf, p + body, payload, 0, h.symbolSize);
        return switch (h.form) {
            case SYSTEMATIC -> {
                int index = getShort(buf, p);
                if (index >= h.k) {
                    throw new MalformedSymbolException("systematic index " + index + " not below k = " + h.k);
                }
                yield CodedSymbol.systematic(g, index, payload);
            }
            case SEEDED -> CodedSymbol.seeded(g, getLong(buf, p), payload);
            case EXPLICIT -> {
                byte[] c = new byte[h.k];
                System.arraycopy(buf, p, c, 0, h.k);
                if (Coefficients.isZero(c)) {
                    throw new MalformedSymbolException("all-zero coefficient vector");
                }
                yield CodedSymbol.explicit(g, c, payload);
            }
        };
    }

    /** Parses the symbol that fills {@code buf} exactly. */
    public static CodedSymbol parse(byte[] buf) throws MalformedSymbolException {
        return parse(buf, 0, buf.length);
    }

    private record Header(CodedSymbol.Form form, int k, long generationId, int symbolSize, int length) {
    }

    private static Header readHeader(byte[] buf, int off) throws MalformedSymbolException {
        int version = buf[off] & 0xFF;
        if (version != VERSION) {
            throw new MalformedSymbolException("version " + version + ", this codec reads " + VERSION);
        }
        int formByte = buf[off + 1] & 0xFF;
        CodedSymbol.Form form = switch (formByte) {
            case 0 -> CodedSymbol.Form.SYSTEMATIC;
            case 1 -> CodedSymbol.Form.SEEDED;
            case 2 -> CodedSymbol.Form.EXPLICIT;
            default -> throw new MalformedSymbolException("unknown coefficient form " + formByte);
        };
        int k = getShort(buf, off + 2);
        if (k < 1 || k > GenerationInfo.MAX_K) {
            throw new MalformedSymbolException("k = " + k + " outside 1.." + GenerationInfo.MAX_K);
        }
        long generationId = getLong(buf, off + 4);
        long symbolSize = getInt(buf, off + 12) & 0xFFFF_FFFFL;
        if (symbolSize < 1 || symbolSize > GenerationInfo.MAX_SYMBOL_SIZE) {
            throw new MalformedSymbolException("symbol size " + symbolSize + " outside 1.."
                    + GenerationInfo.MAX_SYMBOL_SIZE);
        }
        long length = getInt(buf, off + 16) & 0xFFFF_FFFFL;
        if (!GenerationInfo.lengthFits(k, (int) symbolSize, length)) {
            throw new MalformedSymbolException("length " + length + " does not end in the last of k = " + k
                    + " symbols of " + symbolSize + " bytes");
        }
        return new Header(form, k, generationId, (int) symbolSize, (int) length);
    }

    private static int bodyLength(CodedSymbol.Form form, int k) {
        return switch (form) {
            case SYSTEMATIC -> Short.BYTES;
            case SEEDED -> Long.BYTES;
            case EXPLICIT -> k;
        };
    }

    private static int putShort(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }

    private static int putInt(byte[] b, int p, int v) {
        putShort(b, p, v >>> 16);
        putShort(b, p + 2, v);
        return p + 4;
    }

    private static int putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
        return p + 8;
    }

    private static int getShort(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static int getInt(byte[] b, int p) {
        return getShort(b, p) << 16 | getShort(b, p + 2);
    }

    private static long getLong(byte[] b, int p) {
        return (long) getInt(b, p) << 32 | (getInt(b, p + 4) & 0xFFFF_FFFFL);
    }
}
