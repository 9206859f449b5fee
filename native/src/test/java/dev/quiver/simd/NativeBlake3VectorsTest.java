package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.testing.Blake3Vectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The official BLAKE3 test vectors, full extended output, through every native tier this CPU supports. */
@Timeout(60)
class NativeBlake3VectorsTest {
    private static final Blake3Vectors VECTORS = Blake3Vectors.load();

    static java.util.stream.Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void hashKeyedAndDeriveKeyMatchTheOfficialVectors(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        int[] keyed = Blake3TestSupport.keyWords(VECTORS.key());
        int[] context = Blake3TestSupport.contextKey(kernel, VECTORS.context());
        for (Blake3Vectors.Case c : VECTORS.cases()) {
            byte[] input = c.input();
            check(kernel, Blake3TestSupport.IV, 0, input, c.hash(), "hash", c.inputLength());
            check(kernel, keyed, Blake3Flags.KEYED_HASH, input, c.keyedHash(), "keyed_hash", c.inputLength());
            check(kernel, context, Blake3Flags.DERIVE_KEY_MATERIAL, input, c.deriveKey(), "derive_key",
                    c.inputLength());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void offHeapSegmentsMatchTheOfficialVectors(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        int[] keyed = Blake3TestSupport.keyWords(VECTORS.key());
        try (Arena arena = Arena.ofConfined()) {
            for (Blake3Vectors.Case c : VECTORS.cases()) {
                MemorySegment in = arena.allocate(Math.max(1, c.inputLength()), 1).asSlice(0, c.inputLength());
                MemorySegment.copy(c.input(), 0, in, ValueLayout.JAVA_BYTE, 0, c.inputLength());
                byte[] out = new byte[c.hash().length];
                kernel.hash(Blake3TestSupport.IV, 0, in, out, 0, out.length);
                assertArrayEquals(c.hash(), out, () -> kernel.name() + " segment hash, length " + c.inputLength());
                kernel.hash(keyed, Blake3Flags.KEYED_HASH, in, out, 0, out.length);
                assertArrayEquals(c.keyedHash(), out, () -> kernel.name() + " segment keyed, length "
                        + c.inputLength());
            }
        }
    }

    private static void check(Blake3Kernel kernel, int[] key, int flags, byte[] input, byte[] expected, String what,
                              int length) {
        // Every prefix length of the extended output, so short and partial output blocks are covered too.
        for (int outLen : new int[] {expected.length, 32, 1, 64, 65}) {
            byte[] out = new byte[outLen];
            kernel.hash(key, flags, input, 0, input.length, out, 0, outLen);
            byte[] want = java.util.Arrays.copyOf(expected, outLen);
            assertArrayEquals(want, out, () -> kernel.name() + " " + what + ", input length " + length + ", output "
                    + outLen + ": " + HexFormat.of().formatHex(out));
        }
    }
}
