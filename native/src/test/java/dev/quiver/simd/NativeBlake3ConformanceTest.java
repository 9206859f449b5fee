package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.JavaBlake3Kernel;
import dev.quiver.codec.testing.Blake3KernelConformance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * codec's shared conformance checks on every native tier this CPU runs, plus random sizes and split points against
 * the pure-Java kernel (the same suite runs on every implementation, STYLE.md section 7).
 */
@Timeout(180)
class NativeBlake3ConformanceTest {

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void passesTheSharedConformanceChecks(Isa isa) {
        Blake3KernelConformance.assertConforms(Blake3TestSupport.kernel(isa));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void matchesTheJavaKernelOnRandomSizesAndSubtrees(Isa isa) {
        Blake3Kernel kernel = Blake3TestSupport.kernel(isa);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] data = new byte[(1 << 20) + 16];
        random.nextBytes(data);
        int[] key = new int[8];
        for (int i = 0; i < 8; i++) {
            key[i] = random.nextInt();
        }
        for (int round = 0; round < 40; round++) {
            int len = random.nextInt(1 << random.nextInt(21));
            int off = random.nextInt(16);
            int outLen = 1 + random.nextInt(300);
            int flags = round % 2 == 0 ? 0 : Blake3Flags.KEYED_HASH;
            int[] words = flags == 0 ? Blake3Flags.iv() : key;
            byte[] want = new byte[outLen];
            byte[] got = new byte[outLen];
            JavaBlake3Kernel.INSTANCE.hash(words, flags, data, off, len, want, 0, outLen);
            kernel.hash(words, flags, data, off, len, got, 0, outLen);
            String what = kernel.name() + " len=" + len + " off=" + off + " outLen=" + outLen + " seed=" + seed;
            assertArrayEquals(want, got, what);
            if (len > 0) {
                long chunks = (len + Blake3Flags.CHUNK_LEN - 1) / Blake3Flags.CHUNK_LEN;
                long span = chunks == 1 ? 1 : Long.highestOneBit(chunks - 1) << 1;
                long counter = span * random.nextInt(1 << 20);
                byte[] cvWant = new byte[32];
                byte[] cvGot = new byte[32];
                JavaBlake3Kernel.INSTANCE.subtreeChainingValue(words, flags, data, off, len, counter, cvWant, 0);
                kernel.subtreeChainingValue(words, flags, data, off, len, counter, cvGot, 0);
                assertArrayEquals(cvWant, cvGot, what + " subtree counter=" + counter);
            }
        }
    }
}
