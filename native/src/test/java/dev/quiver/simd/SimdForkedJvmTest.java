package dev.quiver.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The tier override and the native-access fallback, each in a fresh JVM (both are decided once per JVM): the
 * test's own class path, {@link SimdProbe} as main class, and the JVM options under test.
 */
@Timeout(120)
class SimdForkedJvmTest {
    /** BLAKE3("abc"), from the BLAKE3 reference implementation's documentation. */
    private static final String ABC = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";

    private record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void systemPropertyForcesThePortableTier() throws Exception {
        Run run = probe(Map.of(), "--enable-native-access=ALL-UNNAMED", "-Dquiver.simd.isa=portable");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("isa=portable\n"), run.stdout());
        assertTrue(run.stdout().contains("blake3=native-portable " + ABC), run.stdout());
    }

    @Test
    void environmentVariableForcesATier() throws Exception {
        Run run = probe(Map.of("QUIVER_SIMD_ISA", "sse41"), "--enable-native-access=ALL-UNNAMED");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("isa=sse41\n"), run.stdout());
        assertTrue(run.stdout().contains("blake3=native-sse41 " + ABC), run.stdout());
    }

    @Test
    void aTierAboveTheCpuFallsBackToTheBestWithAWarning() throws Exception {
        assumeFalse(Simd.supportedTiers().contains(Isa.GFNI), "this CPU supports every tier; nothing to refuse");
        Run run = probe(Map.of(), "--enable-native-access=ALL-UNNAMED", "-Dquiver.simd.isa=gfni");
        assertEquals(0, run.exitCode(), run.stderr());
        String best = Simd.bestIsa().tierName();
        assertTrue(run.stdout().contains("isa=" + best + "\n"), run.stdout());
        assertTrue(run.stderr().contains("-Dquiver.simd.isa=gfni asks for a tier this CPU lacks"), run.stderr());
        assertTrue(run.stdout().contains(ABC), run.stdout());
    }

    @Test
    void deniedNativeAccessFallsBackWithOneClearLine() throws Exception {
        Run run = probe(Map.of(), "--illegal-native-access=deny");
        assertEquals(0, run.exitCode(), "the JVM must not crash: " + run.stderr());
        assertTrue(run.stdout().contains("available=false\n"), run.stdout());
        assertTrue(run.stdout().contains("nativeProvider=false\n"), run.stdout());
        assertTrue(run.stdout().contains("--enable-native-access=ALL-UNNAMED"), run.stdout());
        // KernelProviders says it once, in the log, with the flag to add.
        long lines = run.stderr().lines()
                .filter(l -> l.contains("Native kernels unavailable") && l.contains("--enable-native-access"))
                .count();
        assertEquals(1, lines, run.stderr());
    }

    private static Run probe(Map<String, String> env, String... jvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may run tests from a manifest-only jar; its real class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, SimdProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("QUIVER_SIMD_ISA");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        // Both streams are small; read stderr on the side so neither pipe can fill up and block the child.
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.completeExceptionally(e);
            }
        });
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("probe JVM did not finish: " + command);
        }
        return new Run(process.exitValue(), stdout, stderr.join());
    }
}
