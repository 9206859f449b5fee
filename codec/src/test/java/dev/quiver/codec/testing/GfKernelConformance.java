package dev.quiver.codec.testing;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.ScalarGfKernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One conformance suite for every {@link GfKernel} tier (Java scalar, Java vector, native portable/AVX2/AVX-512/
 * GFNI): static assertions that compare a kernel with a naive bit-by-bit GF(2^8) multiply (the field's definition,
 * independent of every table) and with {@link ScalarGfKernel}. Buffers carry guard bytes on both sides, so a write
 * outside the requested range fails the check. The idea of ISA-L's {@code *_test.c}: random data, every length up
 * to a few vectors, unaligned offsets, and ranges flush with the end of the allocation.
 */
public final class GfKernelConformance {

    /** Lengths every kernel is checked on: all of 0..130 and one large, odd length (64 KiB + 13). */
    public static final int LARGE_LENGTH = 64 * 1024 + 13;

    private static final GfKernel REFERENCE = new ScalarGfKernel();
    private static final int GUARD = 37;

    private GfKernelConformance() {
    }

    /** The product by shift-and-add with reduction by 0x11B, straight from the field's definition. */
    public static int naiveMul(int a, int b) {
        int p = 0;
        for (int bit = 0; bit < 8; bit++) {
            if ((b >>> bit & 1) != 0) {
                p ^= a;
            }
            boolean carry = (a & 0x80) != 0;
            a = (a << 1) & 0xFF;
            if (carry) {
                a ^= 0x1B;
            }
        }
        return p;
    }

    /** Runs every check below. */
    public static void assertConforms(GfKernel kernel) {
        assertMulMatchesNaive(kernel);
        assertMulAddMatchesNaive(kernel);
        assertDotProductMatchesReference(kernel);
        assertMatrixMultiplyMatchesReference(kernel);
        assertSegmentsMatchReference(kernel);
        assertRejectsBadArguments(kernel);
    }

    /** {@code mul} for every coefficient 0..255 over lengths 0..130 and a large one, at unaligned offsets. */
    public static void assertMulMatchesNaive(GfKernel kernel) {
        SplittableRandom random = new SplittableRandom(1);
        for (int c = 0; c < 256; c++) {
            for (int len : lengths(c)) {
                int srcOff = random.nextInt(0, 17);
                int dstOff = random.nextInt(0, 17);
                byte[] src = randomBytes(random, srcOff + len + GUARD);
                byte[] dst = randomBytes(random, dstOff + len + GUARD);
                byte[] expected = dst.clone();
                for (int i = 0; i < len; i++) {
                    expected[dstOff + i] = (byte) naiveMul(c, src[srcOff + i] & 0xFF);
                }
                kernel.mul(c, src, srcOff, dst, dstOff, len);
                assertArrayEquals(expected, dst, kernel.name() + " mul c=" + c + " len=" + len);
            }
        }
    }

    /** {@code mulAdd} for every coefficient over lengths 0..130 and a large one, at unaligned offsets. */
    public static void assertMulAddMatchesNaive(GfKernel kernel) {
        SplittableRandom random = new SplittableRandom(2);
        for (int c = 0; c < 256; c++) {
            for (int len : lengths(c)) {
                int srcOff = random.nextInt(0, 17);
                int dstOff = random.nextInt(0, 17);
                byte[] src = randomBytes(random, srcOff + len + GUARD);
                byte[] dst = randomBytes(random, dstOff + len + GUARD);
                byte[] expected = dst.clone();
                for (int i = 0; i < len; i++) {
                    expected[dstOff + i] ^= (byte) naiveMul(c, src[srcOff + i] & 0xFF);
                }
                kernel.mulAdd(c, src, srcOff, dst, dstOff, len);
                assertArrayEquals(expected, dst, kernel.name() + " mulAdd c=" + c + " len=" + len);
            }
        }
        // In place (source identical to destination) and flush with the end of the arrays.
        byte[] buf = randomBytes(random, 200);
        byte[] expected = buf.clone();
        for (int i = 0; i < 150; i++) {
            expected[50 + i] ^= (byte) naiveMul(0x8E, expected[50 + i] & 0xFF);
        }
        kernel.mulAdd(0x8E, buf, 50, buf, 50, 150);
        assertArrayEquals(expected, buf, kernel.name() + " mulAdd in place");
    }

    /** {@code dotProduct} against the naive definition: 0..40 sources, lengths 0..130 and large, zero coefficients. */
    public static void assertDotProductMatchesReference(GfKernel kernel) {
        SplittableRandom random = new SplittableRandom(3);
        for (int count : new int[] {0, 1, 2, 3, 5, 8, 16, 17, 40}) {
            for (int len = 0; len <= 130; len += (count > 8 ? 7 : 1)) {
                checkDot(kernel, random, count, len);
            }
            checkDot(kernel, random, count, LARGE_LENGTH);
        }
    }

    /** {@code matrixMultiply} of 16×16 and 5×3 shapes against the scalar reference. */
    public static void assertMatrixMultiplyMatchesReference(GfKernel kernel) {
        SplittableRandom random = new SplittableRandom(4);
        for (int[] shape : new int[][] {{16, 16, 4099}, {5, 3, 77}, {1, 1, 0}}) {
            int rows = shape[0];
            int count = shape[1];
            int len = shape[2];
            byte[] coeffs = randomBytes(random, rows * count);
            byte[][] srcs = new byte[count][];
            for (int j = 0; j < count; j++) {
                srcs[j] = randomBytes(random, len + 3);
            }
            byte[][] expected = new byte[rows][];
            byte[][] actual = new byte[rows][];
            for (int r = 0; r < rows; r++) {
                expected[r] = randomBytes(random, len + 9);
                actual[r] = expected[r].clone();
            }
            REFERENCE.matrixMultiply(coeffs, srcs, 3, count, expected, 9, rows, len);
            kernel.matrixMultiply(coeffs, srcs, 3, count, actual, 9, rows, len);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(expected[r], actual[r], kernel.name() + " matrixMultiply row " + r);
            }
        }
    }

    /** The {@code MemorySegment} variants over heap and native segments, all coefficients, unaligned offsets. */
    public static void assertSegmentsMatchReference(GfKernel kernel) {
        SplittableRandom random = new SplittableRandom(5);
        try (Arena arena = Arena.ofConfined()) {
            for (int c = 0; c < 256; c++) {
                for (int len : lengths(c)) {
                    long srcOff = random.nextInt(0, 17);
                    long dstOff = random.nextInt(0, 17);
                    byte[] src = randomBytes(random, (int) srcOff + len + GUARD);
                    byte[] dst = randomBytes(random, (int) dstOff + len + GUARD);
                    byte[] expectedMul = dst.clone();
                    byte[] expectedMulAdd = dst.clone();
                    REFERENCE.mul(c, src, (int) srcOff, expectedMul, (int) dstOff, len);
                    REFERENCE.mulAdd(c, src, (int) srcOff, expectedMulAdd, (int) dstOff, len);
                    boolean nativeSegments = (c & 1) == 0;
                    MemorySegment s = segment(arena, src, nativeSegments);
                    MemorySegment d = segment(arena, dst, nativeSegments);
                    kernel.mulAdd(c, s, srcOff, d, dstOff, len);
                    assertArrayEquals(expectedMulAdd, bytes(d, dst), kernel.name() + " segment mulAdd c=" + c
                            + " len=" + len + " native=" + nativeSegments);
                    d = segment(arena, dst, !nativeSegments);
                    kernel.mul(c, s, srcOff, d, dstOff, len);
                    assertArrayEquals(expectedMul, bytes(d, dst), kernel.name() + " segment mul c=" + c
                            + " len=" + len);
                }
            }
        }
    }

    /** Out-of-range offsets and lengths throw {@link IndexOutOfBoundsException}; bad coefficients throw
     * {@link IllegalArgumentException}; nothing is written in either case. */
    public static void assertRejectsBadArguments(GfKernel kernel) {
        byte[] src = new byte[64];
        byte[] dst = new byte[64];
        assertThrows(IndexOutOfBoundsException.class, () -> kernel.mulAdd(3, src, 1, dst, 0, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernel.mulAdd(3, src, 0, dst, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernel.mul(3, src, -1, dst, 0, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> kernel.mul(3, src, 0, dst, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> kernel.mul(3, src, 0, dst, 60, 8));
        assertThrows(IllegalArgumentException.class, () -> kernel.mulAdd(256, src, 0, dst, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> kernel.mul(-1, src, 0, dst, 0, 8));
        byte[][] srcs = {new byte[64], new byte[10]};
        assertThrows(IndexOutOfBoundsException.class,
                () -> kernel.dotProduct(new byte[] {1, 2}, 0, srcs, 0, 2, dst, 0, 64));
        assertThrows(IndexOutOfBoundsException.class,
                () -> kernel.dotProduct(new byte[] {1, 2}, 1, srcs, 0, 2, dst, 0, 8));
        assertThrows(IndexOutOfBoundsException.class,
                () -> kernel.dotProduct(new byte[] {1, 2, 3}, 0, srcs, 0, 3, dst, 0, 8));
        assertThrows(IndexOutOfBoundsException.class,
                () -> kernel.matrixMultiply(new byte[3], srcs, 0, 2, new byte[][] {dst, dst}, 0, 2, 8));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            MemorySegment d = arena.allocate(64);
            assertThrows(IndexOutOfBoundsException.class, () -> kernel.mulAdd(3, s, 1, d, 0, 64));
            assertThrows(IndexOutOfBoundsException.class, () -> kernel.mul(3, s, 0, d, 60, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> kernel.mul(3, s, 0, d, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> kernel.mul(300, s, 0, d, 0, 8));
            for (byte b : d.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) {
                if (b != 0) {
                    throw new AssertionError(kernel.name() + " wrote before rejecting its arguments");
                }
            }
        }
        assertArrayEquals(new byte[64], dst, kernel.name() + " wrote before rejecting its arguments");
    }

    private static void checkDot(GfKernel kernel, SplittableRandom random, int count, int len) {
        int srcOff = random.nextInt(0, 9);
        int dstOff = random.nextInt(0, 9);
        byte[] coeffs = randomBytes(random, count + 2);
        if (count > 2) {
            coeffs[2] = 0;
        }
        byte[][] srcs = new byte[count][];
        for (int j = 0; j < count; j++) {
            srcs[j] = randomBytes(random, srcOff + len + random.nextInt(0, 3));
        }
        byte[] dst = randomBytes(random, dstOff + len + GUARD);
        byte[] expected = dst.clone();
        for (int i = 0; i < len; i++) {
            int acc = 0;
            for (int j = 0; j < count; j++) {
                acc ^= naiveMul(coeffs[1 + j] & 0xFF, srcs[j][srcOff + i] & 0xFF);
            }
            expected[dstOff + i] = (byte) acc;
        }
        kernel.dotProduct(coeffs, 1, srcs, srcOff, count, dst, dstOff, len);
        assertArrayEquals(expected, dst, () -> kernel.name() + " dotProduct count=" + count + " len=" + len);
    }

    /** Lengths 0..130 for every coefficient, plus the large length for a spread of coefficients. */
    private static int[] lengths(int c) {
        int[] small = new int[131];
        for (int i = 0; i <= 130; i++) {
            small[i] = i;
        }
        if (c % 17 == 1 || c == 255) {
            int[] all = Arrays.copyOf(small, 132);
            all[131] = LARGE_LENGTH;
            return all;
        }
        return small;
    }

    private static MemorySegment segment(Arena arena, byte[] content, boolean nativeMemory) {
        if (!nativeMemory) {
            return MemorySegment.ofArray(content.clone());
        }
        MemorySegment s = arena.allocate(content.length);
        MemorySegment.copy(content, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, content.length);
        return s;
    }

    private static byte[] bytes(MemorySegment s, byte[] original) {
        byte[] out = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (out.length != original.length) {
            throw new AssertionError("segment size changed");
        }
        return out;
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
