package dev.quiver.simd;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.ScalarGfKernel;
import dev.quiver.codec.testing.GfKernelConformance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * codec's shared GF(2^8) conformance suite on every native tier this CPU runs (the same suite runs on the Java
 * tiers, STYLE.md section 7), plus the shapes only the native binding has: matrices wider and taller than one
 * downcall, column ranges split across downcalls, destinations that are also sources, native segments.
 * Tiers this CPU lacks (AVX-512 and GFNI on Zen 3) are skipped with a printed reason.
 */
@Timeout(300)
class NativeGfConformanceTest {
    private static final GfKernel REFERENCE = new ScalarGfKernel();

    static Stream<Isa> tiers() {
        return Stream.of(Isa.values()).filter(Isa::hasOwnGf);
    }

    /** The kernel of {@code isa}; skips the test, saying why, when this CPU lacks the tier. */
    static GfKernel kernel(Isa isa) {
        assertTrue(Simd.isAvailable(), () -> "native kernels must load in the test JVM: "
                + Simd.unavailabilityCause().map(Throwable::getMessage).orElse(""));
        boolean supported = Simd.gf(isa).isPresent();
        if (!supported) {
            System.out.println("SKIP native-" + isa.tierName() + " GF(2^8): this CPU does not support it (supported: "
                    + Simd.supportedTiers() + "); the tier is compiled but untested here");
        }
        assumeTrue(supported, "this CPU does not support " + isa.tierName());
        return Simd.gf(isa).orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void passesTheSharedConformanceSuite(Isa isa) {
        GfKernelConformance.assertConforms(kernel(isa));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void matrixShapesAcrossSeveralDowncallsMatchTheScalarReference(Isa isa) {
        GfKernel kernel = kernel(isa);
        SplittableRandom random = new SplittableRandom(11);
        // rows and counts beyond the 16 x 16 of one downcall, odd lengths, zero rows and columns.
        int[][] shapes = {{17, 33, 1000}, {40, 3, 131}, {3, 40, 4097}, {32, 32, 200}, {1, 17, 95}, {16, 16, 64},
                          {2, 0, 50}, {0, 5, 50}, {5, 5, 0}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int count = shape[1];
            int len = shape[2];
            byte[] coeffs = bytes(random, rows * count);
            byte[][] srcs = new byte[count][];
            for (int j = 0; j < count; j++) {
                srcs[j] = bytes(random, len + 5);
            }
            byte[][] want = new byte[rows][];
            byte[][] got = new byte[rows][];
            for (int r = 0; r < rows; r++) {
                want[r] = bytes(random, len + 11);
                got[r] = want[r].clone();
            }
            REFERENCE.matrixMultiply(coeffs, srcs, 5, count, want, 11, rows, len);
            kernel.matrixMultiply(coeffs, srcs, 5, count, got, 11, rows, len);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(want[r], got[r], kernel.name() + " " + rows + "x" + count + " len=" + len
                        + " row " + r);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void longBuffersSplitIntoColumnRangesGiveTheSameBytes(Isa isa) {
        GfKernel kernel = kernel(isa);
        SplittableRandom random = new SplittableRandom(12);
        int count = 4;
        int columns = NativeGfKernel.columnsPerDowncall(count);
        int len = 2 * columns + 77; // three column ranges, the last one ragged
        byte[] coeffs = bytes(random, 2 * count);
        byte[][] srcs = new byte[count][];
        for (int j = 0; j < count; j++) {
            srcs[j] = bytes(random, len);
        }
        byte[][] want = {new byte[len], new byte[len]};
        byte[][] got = {new byte[len], new byte[len]};
        REFERENCE.matrixMultiply(coeffs, srcs, 0, count, want, 0, 2, len);
        kernel.matrixMultiply(coeffs, srcs, 0, count, got, 0, 2, len);
        assertArrayEquals(want[0], got[0]);
        assertArrayEquals(want[1], got[1]);

        int big = (int) NativeGfKernel.MAX_BYTES_PER_DOWNCALL + 1000;
        byte[] src = bytes(random, big);
        byte[] dstWant = bytes(random, big);
        byte[] dstGot = dstWant.clone();
        REFERENCE.mulAdd(0xC3, src, 0, dstWant, 0, big);
        kernel.mulAdd(0xC3, src, 0, dstGot, 0, big);
        assertArrayEquals(dstWant, dstGot, "mulAdd over two downcalls");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void aDestinationThatIsAlsoASourceReadsTheSourceBeforeItIsOverwritten(Isa isa) {
        GfKernel kernel = kernel(isa);
        SplittableRandom random = new SplittableRandom(13);
        for (int count : new int[] {3, 20}) {
            int len = 300;
            byte[] coeffs = bytes(random, count * count);
            byte[][] srcsWant = new byte[count][];
            byte[][] srcsGot = new byte[count][];
            for (int j = 0; j < count; j++) {
                srcsWant[j] = bytes(random, len);
                srcsGot[j] = srcsWant[j].clone();
            }
            // dotProduct into its own last source.
            REFERENCE.dotProduct(coeffs, 0, srcsWant, 0, count, srcsWant[count - 1], 0, len);
            kernel.dotProduct(coeffs, 0, srcsGot, 0, count, srcsGot[count - 1], 0, len);
            assertArrayEquals(srcsWant[count - 1], srcsGot[count - 1], "dotProduct in place, count=" + count);
            // matrixMultiply whose destinations are the sources: row r sees the rows before it already replaced.
            REFERENCE.matrixMultiply(coeffs, srcsWant, 0, count, srcsWant, 0, count, len);
            kernel.matrixMultiply(coeffs, srcsGot, 0, count, srcsGot, 0, count, len);
            for (int j = 0; j < count; j++) {
                assertArrayEquals(srcsWant[j], srcsGot[j], "matrixMultiply in place, count=" + count + " row " + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void nativeSegmentsAtEveryAlignmentMatchTheReference(Isa isa) {
        GfKernel kernel = kernel(isa);
        SplittableRandom random = new SplittableRandom(14);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(70_000, 64);
            MemorySegment dst = arena.allocate(70_000, 64);
            for (int round = 0; round < 64; round++) {
                int len = round < 32 ? random.nextInt(0, 300) : random.nextInt(0, 65_600);
                long srcOff = random.nextInt(0, 64);
                long dstOff = random.nextInt(0, 64);
                int c = random.nextInt(0, 256);
                byte[] s = bytes(random, len);
                byte[] d = bytes(random, len);
                MemorySegment.copy(s, 0, src, ValueLayout.JAVA_BYTE, srcOff, len);
                MemorySegment.copy(d, 0, dst, ValueLayout.JAVA_BYTE, dstOff, len);
                REFERENCE.mulAdd(c, s, 0, d, 0, len);
                kernel.mulAdd(c, src, srcOff, dst, dstOff, len);
                assertArrayEquals(d, dst.asSlice(dstOff, len).toArray(ValueLayout.JAVA_BYTE),
                        "segment mulAdd c=" + c + " len=" + len + " offsets " + srcOff + "/" + dstOff);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void unusableSegmentsAreRefusedBeforeTheDowncall(Isa isa) {
        GfKernel kernel = kernel(isa);
        MemorySegment src = MemorySegment.ofArray(new byte[64]);
        MemorySegment readOnly = MemorySegment.ofArray(new byte[64]).asReadOnly();
        assertThrows(IllegalArgumentException.class, () -> kernel.mulAdd(5, src, 0, readOnly, 0, 64));
        assertThrows(NullPointerException.class, () -> kernel.mul(5, null, 0, src, 0, 64));
        MemorySegment closed;
        try (Arena arena = Arena.ofConfined()) {
            closed = arena.allocate(64);
        }
        assertThrows(IllegalStateException.class, () -> kernel.mulAdd(5, src, 0, closed, 0, 64));
        byte[][] srcs = {new byte[64], null};
        assertThrows(NullPointerException.class,
                () -> kernel.dotProduct(new byte[2], 0, srcs, 0, 2, new byte[64], 0, 64));
        assertThrows(IndexOutOfBoundsException.class,
                () -> kernel.matrixMultiply(new byte[4], new byte[][] {new byte[8], new byte[8]}, 0, 2,
                        new byte[][] {new byte[8]}, 0, 2, 8));
        assertEquals(0, src.get(ValueLayout.JAVA_BYTE, 0));
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
