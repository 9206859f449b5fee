package dev.quiver.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the GF(2^8) C self-test ({@code native/src/test/c/run-selftest}): every tier this CPU runs against a
 * bit-by-bit reference, at the C level, with unaligned buffers flush against the end of their allocation. On a CPU
 * without AVX-512 or GFNI it also runs those two tiers' code compiled against a plain-C model of their intrinsics
 * ({@code native/src/test/c/gfemu}): that checks our loops, heads, tails and table layout under the model's reading
 * of each instruction, not the hardware, so the JVM tests of those tiers still skip there.
 */
@Timeout(300)
class GfNativeSelfTest {

    @Test
    void everyTierMatchesTheReferenceInC() throws IOException, InterruptedException {
        Path script = Path.of("src", "test", "c", "run-selftest").toAbsolutePath();
        assertTrue(Files.isExecutable(script), "run from the native module: " + script);
        Process run = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(280, TimeUnit.SECONDS), "run-selftest did not finish");
        System.out.print(output);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("PASS avx2") || !Simd.supportedTiers().contains(Isa.AVX2), output);
        assertTrue(output.contains("PASS avx512") && output.contains("PASS gfni"), output);
        assertTrue(!output.contains("FAIL"), output);
    }
}
