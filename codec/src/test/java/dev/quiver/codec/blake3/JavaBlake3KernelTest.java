package dev.quiver.codec.blake3;

import dev.quiver.codec.testing.Blake3KernelConformance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java kernel, vector path (when the incubator module is present, as in our builds) and scalar path. */
@Timeout(60)
class JavaBlake3KernelTest {

    private final Blake3Kernel kernel = JavaBlake3Kernel.INSTANCE;

    static Stream<Arguments> paths() {
        return Stream.of(Arguments.of("default", JavaBlake3Kernel.INSTANCE),
                Arguments.of("scalar", JavaBlake3Kernel.SCALAR), Arguments.of("vector", JavaBlake3Kernel.VECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void bothPathsConform(String name, JavaBlake3Kernel path) {
        Blake3KernelConformance.assertConforms(path);
    }

    @Test
    void vectorPathIsAvailableInOurBuildsAndEqualsScalar() {
        // The build runs tests with --add-modules jdk.incubator.vector, as the launcher runs Quiver.
        assertTrue(JavaBlake3Kernel.VECTOR.vectorLanes() >= 4, "vector lanes: "
                + JavaBlake3Kernel.VECTOR.vectorLanes());
        assertEquals(0, JavaBlake3Kernel.SCALAR.vectorLanes());
        Random random = new Random(99);
        int[] key = new int[8];
        for (int trial = 0; trial < 30; trial++) {
            for (int w = 0; w < 8; w++) {
                key[w] = random.nextInt();
            }
            int flags = new int[] {0, Blake3Flags.KEYED_HASH, Blake3Flags.DERIVE_KEY_MATERIAL}[trial % 3];
            int len = 1 + random.nextInt(40 * 1024);
            byte[] in = new byte[len + 5];
            random.nextBytes(in);
            byte[] a = new byte[48];
            byte[] b = new byte[48];
            JavaBlake3Kernel.VECTOR.hash(key, flags, in, 5, len, a, 0, 48);
            JavaBlake3Kernel.SCALAR.hash(key, flags, in, 5, len, b, 0, 48);
            assertArrayEquals(b, a, "hash len " + len);
            // Subtrees high in the counter space, so the upper counter word is in play.
            int chunks = 32;
            long counter = (trial % 2 == 0 ? 3L << 32 : (1L << 32) - 32) + 32L * trial;
            byte[] big = new byte[chunks * 1024];
            random.nextBytes(big);
            JavaBlake3Kernel.VECTOR.subtreeChainingValue(key, flags, big, 0, big.length, counter, a, 0);
            JavaBlake3Kernel.SCALAR.subtreeChainingValue(key, flags, big, 0, big.length, counter, b, 0);
            assertArrayEquals(b, a, "subtree across the 2^32 chunk counter");
        }
    }

    @Test
    void officialVectors() {
        Blake3KernelConformance.assertOfficialVectors(kernel);
    }

    @Test
    void matchesItselfAtBoundariesAcrossSourcesAndOffsets() {
        Blake3KernelConformance.assertMatchesJavaAtBoundaries(kernel, 42);
    }

    @Test
    void subtreesCompose() {
        Blake3KernelConformance.assertSubtreesCompose(kernel, 7);
    }

    @Test
    void rejectsBadArguments() {
        Blake3KernelConformance.assertRejectsBadArguments(kernel);
    }

    @Test
    void nameIsJava() {
        assertEquals("java", kernel.name());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void defaultKernelSwitchesToTheVectorPathOnceWarmAndStillAgrees() throws InterruptedException {
        byte[] in = new byte[1 << 20];
        new Random(5).nextBytes(in);
        byte[] want = new byte[32];
        JavaBlake3Kernel.SCALAR.hash(Blake3.ivWords(), 0, in, 0, in.length, want, 0, 32);
        byte[] got = new byte[32];
        // Enough eligible input to start the warm-up, then wait for it (tens of seconds at worst on a busy machine).
        for (long hashed = 0; hashed < 2 * Blake3VectorGate.TRIGGER_CHUNKS * 1024; hashed += in.length) {
            JavaBlake3Kernel.INSTANCE.hash(Blake3.ivWords(), 0, in, 0, in.length, got, 0, 32);
            assertArrayEquals(want, got);
        }
        awaitGateOrSkip();
        JavaBlake3Kernel.INSTANCE.hash(Blake3.ivWords(), 0, in, 0, in.length, got, 0, 32);
        assertArrayEquals(want, got);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void nativeSegmentsTakeTheVectorPathOnceWarmAndEqualTheArrayPath() throws InterruptedException {
        Random random = new Random(11);
        byte[] big = new byte[(3 << 20) + 4096];
        random.nextBytes(big);
        byte[] want = new byte[32];
        byte[] got = new byte[32];
        // Segment calls count towards opening the gate, as a mapped file's do (unless another test opened it).
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(big.length, 64);
            MemorySegment.copy(big, 0, all, ValueLayout.JAVA_BYTE, 0, big.length);
            for (long hashed = 0; hashed < 2 * Blake3VectorGate.TRIGGER_CHUNKS * 1024; hashed += big.length) {
                JavaBlake3Kernel.INSTANCE.hash(Blake3.ivWords(), 0, all, got, 0, 32);
            }
            awaitGateOrSkip();
            int[] key = new int[8];
            for (int trial = 0; trial < 24; trial++) {
                for (int w = 0; w < 8; w++) {
                    key[w] = random.nextInt();
                }
                int flags = new int[] {0, Blake3Flags.KEYED_HASH, Blake3Flags.DERIVE_KEY_CONTEXT}[trial % 3];
                // Unaligned slice offsets, odd lengths, from just past one vector batch to hundreds of chunks.
                int off = 1 + random.nextInt(4093);
                int len = trial < 8 ? 8 * 1024 + 1 + 2 * random.nextInt(8 * 1024)
                        : 1 + 2 * random.nextInt((big.length - off) / 2 - 1);
                MemorySegment slice = all.asSlice(off, len);
                JavaBlake3Kernel.SCALAR.hash(key, flags, big, off, len, want, 0, 32);
                JavaBlake3Kernel.INSTANCE.hash(key, flags, slice, got, 0, 32);
                assertArrayEquals(want, got, "segment hash off " + off + " len " + len);
                JavaBlake3Kernel.INSTANCE.hash(key, flags, big, off, len, got, 0, 32);
                assertArrayEquals(want, got, "array hash off " + off + " len " + len);
                // A subtree of 2^k whole chunks plus an odd tail, at an aligned counter above 2^32.
                int chunks = 1 << (4 + trial % 6);
                int subLen = Math.min((chunks - 1) * 1024 + 1 + 2 * random.nextInt(511), big.length - off);
                long counter = (5L << 32) + (long) chunks * trial;
                JavaBlake3Kernel.SCALAR.subtreeChainingValue(key, flags, big, off, subLen, counter, want, 0);
                JavaBlake3Kernel.INSTANCE.subtreeChainingValue(key, flags, all.asSlice(off, subLen), counter, got,
                        0);
                assertArrayEquals(want, got, "segment subtree off " + off + " len " + subLen);
            }
        }
    }

    /** Waits for the warm-up thread to open the vector gate; skips (with a reason) if C2 is too slow here. */
    private static void awaitGateOrSkip() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(70);
        while (!Blake3VectorGate.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Assumptions.assumeTrue(Blake3VectorGate.isOpen(), "the vector path did not get compiled within 70 s here");
    }
}
