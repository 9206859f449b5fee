package dev.quiver.codec.blake3;

import dev.quiver.codec.testing.Blake3KernelConformance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
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
}
