package dev.quiver.codec.gf;

/**
 * Arithmetic in GF(2^8) with the reduction polynomial x^8 + x^4 + x^3 + x + 1 ({@code 0x11B}): the field of AES
 * (FIPS 197 §4.2) and of the GFNI instruction {@code GF2P8MULB}, so every tier, Java or native, computes the same
 * products.
 *
 * <p>Addition is XOR. Multiplication uses log/exp tables over the generator {@code 0x03} (0x02 is not a generator
 * of this field's multiplicative group; 0x03 is, FIPS 197 §4.2 and the AES literature). This class also owns the
 * lookup tables the bulk kernels use: a full 256×256 product table (scalar tier) and, per coefficient, the two
 * 16-entry split-nibble tables (Vector API and native shuffle tiers): {@code c·x = LO[c][x & 15] ^ HI[c][x >>> 4]}.
 *
 * <p>Immutable, thread-safe; the tables are built once when the class loads (about 72 KiB).
 */
public final class Gf256 {

    /** The reduction polynomial, including the x^8 term. */
    public static final int POLYNOMIAL = 0x11B;

    /** Bytes in one coefficient's split-nibble table pair: 16 low-nibble products, then 16 high-nibble products. */
    public static final int NIBBLE_TABLE_BYTES = 32;

    private static final int GENERATOR = 0x03;

    /** exp[i] = g^i for i in 0..509, doubled so that exp[log a + log b] needs no modulo. */
    private static final byte[] EXP = new byte[510];
    /** log[a] for a in 1..255; log[0] is unused. */
    private static final int[] LOG = new int[256];
    private static final byte[] INV = new byte[256];
    /** PRODUCT[(c << 8) | x] = c · x. */
    private static final byte[] PRODUCT = new byte[256 * 256];
    /** NIBBLES[c * 32 + i] = c · i for i < 16; NIBBLES[c * 32 + 16 + i] = c · (i << 4). */
    private static final byte[] NIBBLES = new byte[256 * NIBBLE_TABLE_BYTES];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = (byte) x;
            EXP[i + 255] = (byte) x;
            LOG[x] = i;
            x = mulSlow(x, GENERATOR);
        }
        for (int c = 0; c < 256; c++) {
            for (int v = 0; v < 256; v++) {
                PRODUCT[(c << 8) | v] = (byte) mulByTables(c, v);
            }
            for (int i = 0; i < 16; i++) {
                NIBBLES[c * NIBBLE_TABLE_BYTES + i] = PRODUCT[(c << 8) | i];
                NIBBLES[c * NIBBLE_TABLE_BYTES + 16 + i] = PRODUCT[(c << 8) | (i << 4)];
            }
            INV[c] = c == 0 ? 0 : EXP[255 - LOG[c]];
        }
    }

    private Gf256() {
    }

    /** {@code a + b} (and {@code a - b}): XOR. Arguments must be field elements 0..255. */
    public static int add(int a, int b) {
        return check(a) ^ check(b);
    }

    /** {@code a · b}. */
    public static int mul(int a, int b) {
        return PRODUCT[(check(a) << 8) | check(b)] & 0xFF;
    }

    /** The multiplicative inverse of {@code a}; {@link ArithmeticException} for 0. */
    public static int inv(int a) {
        if (check(a) == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^8)");
        }
        return INV[a] & 0xFF;
    }

    /** {@code a / b}; {@link ArithmeticException} when {@code b} is 0. */
    public static int div(int a, int b) {
        return mul(a, inv(b));
    }

    /** {@code a^e} for {@code e >= 0} ({@code 0^0 = 1}). */
    public static int pow(int a, int e) {
        check(a);
        if (e < 0) {
            throw new IllegalArgumentException("negative exponent " + e);
        }
        if (e == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(int) ((long) LOG[a] * e % 255)] & 0xFF;
    }

    /** {@code g^i} for the generator {@code 0x03}; {@code i} in 0..254. */
    public static int exp(int i) {
        if (i < 0 || i >= 255) {
            throw new IllegalArgumentException("exponent " + i + " outside 0..254");
        }
        return EXP[i] & 0xFF;
    }

    /** The discrete logarithm of {@code a} to base {@code 0x03}; {@link ArithmeticException} for 0. */
    public static int log(int a) {
        if (check(a) == 0) {
            throw new ArithmeticException("log of 0 is undefined");
        }
        return LOG[a];
    }

    /** The 256 products {@code c · x} for x = 0..255, as a new array (scalar kernels index it by the source byte). */
    public static byte[] productRow(int c) {
        byte[] row = new byte[256];
        System.arraycopy(PRODUCT, check(c) << 8, row, 0, 256);
        return row;
    }

    /**
     * Coefficient {@code c}'s split-nibble tables as a new 32-byte array: bytes 0..15 are {@code c · i}, bytes
     * 16..31 are {@code c · (i << 4)}, so {@code c · x = t[x & 15] ^ t[16 + (x >>> 4)]}. This is the layout the
     * native shuffle kernels ({@code PSHUFB}) load.
     */
    public static byte[] nibbleTables(int c) {
        byte[] t = new byte[NIBBLE_TABLE_BYTES];
        copyNibbleTables(c, t, 0);
        return t;
    }

    /** Writes coefficient {@code c}'s 32-byte split-nibble tables ({@link #nibbleTables(int)}) into {@code dst}. */
    public static void copyNibbleTables(int c, byte[] dst, int dstOff) {
        System.arraycopy(NIBBLES, check(c) * NIBBLE_TABLE_BYTES, dst, dstOff, NIBBLE_TABLE_BYTES);
    }

    /** Throws {@link IllegalArgumentException} unless {@code c} is a field element 0..255; returns it. */
    public static int check(int c) {
        if ((c & ~0xFF) != 0) {
            throw new IllegalArgumentException("GF(2^8) element " + c + " outside 0..255");
        }
        return c;
    }

    /** The shared product table, for kernels in this package; never handed out. */
    static byte[] productTable() {
        return PRODUCT;
    }

    /** The shared split-nibble tables, for kernels in this package; never handed out. */
    static byte[] nibbleTable() {
        return NIBBLES;
    }

    private static int mulByTables(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]] & 0xFF;
    }

    /** Shift-and-add ("Russian peasant") product, reducing by 0x11B; only used to build the tables. */
    private static int mulSlow(int a, int b) {
        int p = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                p ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= POLYNOMIAL;
            }
            b >>>= 1;
        }
        return p;
    }
}
