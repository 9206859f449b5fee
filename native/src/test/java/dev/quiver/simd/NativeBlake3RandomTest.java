package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every native tier against BouncyCastle's Blake3Digest on random data: every block and chunk boundary, 2^n +- 1
 * up to 1 MiB, random lengths, unaligned input and output offsets, heap and off-heap inputs, and all three modes.
 */
@Timeout(120)
class NativeBlake3RandomTest {
    private static final long SEED = 0x5EED_B1A4E3L;
    private static final int MAX_LEN = 1 << 20;
    private static final int OUT_LEN = 131;
    private static final byte[] DATA = new byte[MAX_LEN + 64];
    private static final byte[] KEY = new byte[32];
    private static final List<Integer> LENGTHS;
    /** BouncyCastle's outputs, computed once and shared by every tier: mode:length -> output. */
    private static final Map<String, byte[]> REFERENCE = new ConcurrentHashMap<>();

    static {
        Random random = new Random(SEED);
        random.nextBytes(DATA);
        random.nextBytes(KEY);
        TreeSet<Integer> lengths = new TreeSet<>(List.of(0, 1, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025));
        for (int n = 11; n <= 20; n++) {
            lengths.add((1 << n) - 1);
            lengths.add(1 << n);
            if (n < 20) {
                lengths.add((1 << n) + 1);
            }
        }
        for (int i = 0; i < 12; i++) {
            lengths.add(random.nextInt(MAX_LEN + 1));
        }
        LENGTHS = List.copyOf(lengths);
    }

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    /** Unaligned on purpose: 1..7 bytes past the array's start. */
    private static int inOffset(int length) {
        return 1 + length % 7;
    }

    private static byte[] reference(String mode, int length) {
        return REFERENCE.computeIfAbsent(mode + ":" + length, k -> switch (mode) {
            case "hash" -> Blake3TestSupport.reference(null, null, DATA, inOffset(length), length, OUT_LEN);
            case "keyed" -> Blake3TestSupport.reference(KEY, null, DATA, inOffset(length), length, OUT_LEN);
            default -> Blake3TestSupport.reference(null, Blake3TestSupport.CONTEXT, DATA, inOffset(length), length,
                    OUT_LEN);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void matchesBouncyCastleAtEveryBoundaryWithUnalignedOffsets(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        int[] keyed = Blake3TestSupport.keyWords(KEY);
        int[] context = Blake3TestSupport.contextKey(kernel, Blake3TestSupport.CONTEXT);
        for (int length : LENGTHS) {
            check(kernel, Blake3TestSupport.IV, 0, "hash", length);
            check(kernel, keyed, Blake3Flags.KEYED_HASH, "keyed", length);
            check(kernel, context, Blake3Flags.DERIVE_KEY_MATERIAL, "derive", length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void offHeapAndHeapSegmentsMatchBouncyCastle(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeData = arena.allocate(DATA.length, 64);
            MemorySegment.copy(DATA, 0, nativeData, ValueLayout.JAVA_BYTE, 0, DATA.length);
            for (int length : LENGTHS) {
                byte[] expected = reference("hash", length);
                byte[] out = new byte[OUT_LEN];
                kernel.hash(Blake3TestSupport.IV, 0, nativeData.asSlice(inOffset(length), length), out, 0, OUT_LEN);
                assertArrayEquals(expected, out, () -> kernel.name() + " off-heap, length " + length);
                Arrays.fill(out, (byte) 0);
                kernel.hash(Blake3TestSupport.IV, 0, MemorySegment.ofArray(DATA).asSlice(inOffset(length), length),
                        out, 0, OUT_LEN);
                assertArrayEquals(expected, out, () -> kernel.name() + " heap segment, length " + length);
            }
        }
    }

    private static void check(Blake3Kernel kernel, int[] key, int flags, String mode, int length) {
        byte[] expected = reference(mode, length);
        int outOff = 3;
        byte[] out = new byte[outOff + OUT_LEN + 5];
        Arrays.fill(out, (byte) 0x77);
        kernel.hash(key, flags, DATA, inOffset(length), length, out, outOff, OUT_LEN);
        assertArrayEquals(expected, Arrays.copyOfRange(out, outOff, outOff + OUT_LEN),
                () -> kernel.name() + " " + mode + ", length " + length);
        // Nothing outside [outOff, outOff + OUT_LEN) is touched.
        for (int i : new int[] {0, 1, 2, outOff + OUT_LEN, out.length - 1}) {
            if (out[i] != 0x77) {
                throw new AssertionError(kernel.name() + " wrote outside its output range at " + i);
            }
        }
    }
}
