package dev.quiver.codec.blake3;

import dev.quiver.codec.testing.Blake3KernelConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class JavaBlake3KernelTest {

    private final Blake3Kernel kernel = JavaBlake3Kernel.INSTANCE;

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
