package dev.quiver.codec.gf;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Java Vector API tier ({@code jdk.incubator.vector}; run with {@code --add-modules jdk.incubator.vector}).
 * Split-nibble multiply, the technique of the native shuffle kernels: {@code c·x = LO_c[x & 15] ^ HI_c[x >>> 4]},
 * each lookup one {@link ByteVector#selectFrom} (a byte shuffle) over a vector holding the 16-entry table. Runs on
 * 128-bit vectors by default (see {@link #vectorBits()} and the {@code quiver.gf.vectorBits} property); tails
 * shorter than a vector go through the product table.
 *
 * <p>{@link #dotProduct} walks all sources for a block of four vectors of the destination, so the destination
 * stays in registers and is written once. Stateless after construction and thread-safe. Construct it only when the
 * incubator module is present ({@link GfKernels} does that check).
 */
public final class VectorGfKernel implements GfKernel {

    /** The name this tier reports in logs and benchmark tables. */
    public static final String NAME = "java-vector";

    private static final VectorSpecies<Byte> SPECIES = species();
    private static final int VLEN = SPECIES.length();
    private static final int BLOCK = 4 * VLEN;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final byte[] PRODUCT = Gf256.productTable();
    /** LO[c * VLEN + i] = c · (i & 15); the 16-entry table repeated across the vector. */
    private static final byte[] LO = new byte[256 * VLEN];
    /** HI[c * VLEN + i] = c · ((i & 15) << 4). */
    private static final byte[] HI = new byte[256 * VLEN];

    static {
        byte[] nibbles = Gf256.nibbleTable();
        for (int c = 0; c < 256; c++) {
            for (int i = 0; i < VLEN; i++) {
                LO[c * VLEN + i] = nibbles[c * Gf256.NIBBLE_TABLE_BYTES + (i & 15)];
                HI[c * VLEN + i] = nibbles[c * Gf256.NIBBLE_TABLE_BYTES + 16 + (i & 15)];
            }
        }
    }

    /**
     * The species in use: {@code -Dquiver.gf.vectorBits=128|256|512} when set, else 128 bits. A 16-entry lookup
     * over 128 bits is one {@code PSHUFB} (or NEON {@code TBL}); over 256 bits on AVX2, C2 must emulate a
     * cross-lane byte permute (two shuffles, a permute and a blend), and JMH here measured the 128-bit species at
     * about twice the 256-bit one's mul-add rate. CPUs with AVX-512 VBMI ({@code VPERMB}) may prefer 512.
     */
    private static VectorSpecies<Byte> species() {
        String bits = System.getProperty("quiver.gf.vectorBits");
        if (bits == null) {
            return ByteVector.SPECIES_128;
        }
        return switch (bits) {
            case "128" -> ByteVector.SPECIES_128;
            case "256" -> ByteVector.SPECIES_256;
            case "512" -> ByteVector.SPECIES_512;
            default -> throw new IllegalArgumentException("quiver.gf.vectorBits=" + bits + ": use 128, 256 or 512");
        };
    }

    /**
     * Creates the kernel.
     *
     * @throws UnsupportedOperationException when this CPU has no vectors of at least 128 bits (the Vector API would
     *                                       then run its slow Java fallback), or the species in use holds fewer than
     *                                       16 bytes
     */
    public VectorGfKernel() {
        if (ByteVector.SPECIES_PREFERRED.length() < 16 || VLEN < 16) {
            throw new UnsupportedOperationException("byte vectors of " + ByteVector.SPECIES_PREFERRED.vectorBitSize()
                    + " bits here (using " + SPECIES.vectorBitSize() + "); the split-nibble multiply needs 128");
        }
    }

    /** Bits per vector of the species in use, for logs. */
    public static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mulAdd(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Gf256.check(c);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (c == 0) {
            return;
        }
        ByteVector lo = ByteVector.fromArray(SPECIES, LO, c * VLEN);
        ByteVector hi = ByteVector.fromArray(SPECIES, HI, c * VLEN);
        int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += VLEN) {
            ByteVector p = times(lo, hi, ByteVector.fromArray(SPECIES, src, srcOff + i));
            ByteVector.fromArray(SPECIES, dst, dstOff + i).lanewise(VectorOperators.XOR, p).intoArray(dst, dstOff + i);
        }
        int base = c << 8;
        for (; i < len; i++) {
            dst[dstOff + i] ^= PRODUCT[base | (src[srcOff + i] & 0xFF)];
        }
    }

    @Override
    public void mul(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Gf256.check(c);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        ByteVector lo = ByteVector.fromArray(SPECIES, LO, c * VLEN);
        ByteVector hi = ByteVector.fromArray(SPECIES, HI, c * VLEN);
        int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += VLEN) {
            times(lo, hi, ByteVector.fromArray(SPECIES, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
        int base = c << 8;
        for (; i < len; i++) {
            dst[dstOff + i] = PRODUCT[base | (src[srcOff + i] & 0xFF)];
        }
    }

    @Override
    public void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count,
                           byte[] dst, int dstOff, int len) {
        GfChecks.dotProduct(coeffs, coeffOff, srcs, srcOff, count, dst, dstOff, len);
        // Zero coefficients contribute nothing; dropping them up front pays off for sparse rows (systematic RLNC).
        int n = 0;
        int[] tables = new int[count];
        byte[][] live = new byte[count][];
        for (int j = 0; j < count; j++) {
            int c = coeffs[coeffOff + j] & 0xFF;
            if (c != 0) {
                tables[n] = c * VLEN;
                live[n++] = srcs[j];
            }
        }
        int i = 0;
        for (; i <= len - BLOCK; i += BLOCK) {
            dotBlock(tables, live, n, srcOff + i, dst, dstOff + i);
        }
        for (; i <= len - VLEN; i += VLEN) {
            ByteVector acc = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++) {
                ByteVector lo = ByteVector.fromArray(SPECIES, LO, tables[j]);
                ByteVector hi = ByteVector.fromArray(SPECIES, HI, tables[j]);
                acc = acc.lanewise(VectorOperators.XOR, times(lo, hi, ByteVector.fromArray(SPECIES, live[j], srcOff + i)));
            }
            acc.intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            int acc = 0;
            for (int j = 0; j < n; j++) {
                acc ^= PRODUCT[(tables[j] / VLEN) << 8 | (live[j][srcOff + i] & 0xFF)];
            }
            dst[dstOff + i] = (byte) acc;
        }
    }

    @Override
    public void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count,
                               byte[][] dsts, int dstOff, int rows, int len) {
        GfChecks.matrixMultiply(coeffs, srcs, srcOff, count, dsts, dstOff, rows, len);
        for (int r = 0; r < rows; r++) {
            dotProduct(coeffs, r * count, srcs, srcOff, count, dsts[r], dstOff, len);
        }
    }

    @Override
    public void mulAdd(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        Gf256.check(c);
        Objects.checkFromIndexSize(srcOff, len, src.byteSize());
        Objects.checkFromIndexSize(dstOff, len, dst.byteSize());
        if (c == 0) {
            return;
        }
        ByteVector lo = ByteVector.fromArray(SPECIES, LO, c * VLEN);
        ByteVector hi = ByteVector.fromArray(SPECIES, HI, c * VLEN);
        long bound = len - len % VLEN;
        long i = 0;
        for (; i < bound; i += VLEN) {
            ByteVector p = times(lo, hi, ByteVector.fromMemorySegment(SPECIES, src, srcOff + i, ORDER));
            ByteVector.fromMemorySegment(SPECIES, dst, dstOff + i, ORDER).lanewise(VectorOperators.XOR, p)
                    .intoMemorySegment(dst, dstOff + i, ORDER);
        }
        int base = c << 8;
        for (; i < len; i++) {
            byte d = dst.get(ValueLayout.JAVA_BYTE, dstOff + i);
            byte p = PRODUCT[base | (src.get(ValueLayout.JAVA_BYTE, srcOff + i) & 0xFF)];
            dst.set(ValueLayout.JAVA_BYTE, dstOff + i, (byte) (d ^ p));
        }
    }

    @Override
    public void mul(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        Gf256.check(c);
        Objects.checkFromIndexSize(srcOff, len, src.byteSize());
        Objects.checkFromIndexSize(dstOff, len, dst.byteSize());
        ByteVector lo = ByteVector.fromArray(SPECIES, LO, c * VLEN);
        ByteVector hi = ByteVector.fromArray(SPECIES, HI, c * VLEN);
        long bound = len - len % VLEN;
        long i = 0;
        for (; i < bound; i += VLEN) {
            times(lo, hi, ByteVector.fromMemorySegment(SPECIES, src, srcOff + i, ORDER))
                    .intoMemorySegment(dst, dstOff + i, ORDER);
        }
        int base = c << 8;
        for (; i < len; i++) {
            byte p = PRODUCT[base | (src.get(ValueLayout.JAVA_BYTE, srcOff + i) & 0xFF)];
            dst.set(ValueLayout.JAVA_BYTE, dstOff + i, p);
        }
    }

    /** Four vectors of the destination, accumulated in registers over all {@code n} sources. */
    private static void dotBlock(int[] tables, byte[][] live, int n, int srcPos, byte[] dst, int dstPos) {
        ByteVector a0 = ByteVector.zero(SPECIES);
        ByteVector a1 = a0;
        ByteVector a2 = a0;
        ByteVector a3 = a0;
        for (int j = 0; j < n; j++) {
            ByteVector lo = ByteVector.fromArray(SPECIES, LO, tables[j]);
            ByteVector hi = ByteVector.fromArray(SPECIES, HI, tables[j]);
            byte[] s = live[j];
            a0 = a0.lanewise(VectorOperators.XOR, times(lo, hi, ByteVector.fromArray(SPECIES, s, srcPos)));
            a1 = a1.lanewise(VectorOperators.XOR, times(lo, hi, ByteVector.fromArray(SPECIES, s, srcPos + VLEN)));
            a2 = a2.lanewise(VectorOperators.XOR, times(lo, hi, ByteVector.fromArray(SPECIES, s, srcPos + 2 * VLEN)));
            a3 = a3.lanewise(VectorOperators.XOR, times(lo, hi, ByteVector.fromArray(SPECIES, s, srcPos + 3 * VLEN)));
        }
        a0.intoArray(dst, dstPos);
        a1.intoArray(dst, dstPos + VLEN);
        a2.intoArray(dst, dstPos + 2 * VLEN);
        a3.intoArray(dst, dstPos + 3 * VLEN);
    }

    /** Lane-wise {@code c · x} given coefficient c's low- and high-nibble table vectors. */
    private static ByteVector times(ByteVector lo, ByteVector hi, ByteVector x) {
        ByteVector low = x.and((byte) 0x0F);
        // x86 has no byte shift; shifting 32-bit lanes and masking is one VPSRLD + VPAND instead of an emulation.
        ByteVector high = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        return low.selectFrom(lo).lanewise(VectorOperators.XOR, high.selectFrom(hi));
    }
}
