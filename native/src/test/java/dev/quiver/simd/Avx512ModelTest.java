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
 * The AVX-512 tier cannot run on a CPU without AVX-512, so its vector tests skip there. This test still runs its
 * code: {@code make emu-check} compiles {@code qv_blake3_avx512.c} against a plain-C model of the intrinsics it
 * uses ({@code native/src/test/c/avx512emu}) and compares its hash_many with the portable one. It checks our lane
 * logic (transposes, counters, leftovers to AVX2), not the hardware.
 */
@Timeout(120)
class Avx512ModelTest {

    @Test
    void avx512KernelLogicMatchesPortableUnderTheIntrinsicModel() throws IOException, InterruptedException {
        Path testC = Path.of("src", "test", "c").toAbsolutePath();
        assertTrue(Files.isRegularFile(testC.resolve("Makefile")), "run from the native module: " + testC);
        Path build = Path.of("target", "native-test").toAbsolutePath();
        Process make = new ProcessBuilder("make", "--no-print-directory", "-s", "-C", testC.toString(),
                "BUILD=" + build, "emu-check").redirectErrorStream(true).start();
        make.getOutputStream().close();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(make.waitFor(100, TimeUnit.SECONDS), "make emu-check did not finish");
        System.out.print(output);
        assertEquals(0, make.exitValue(), output);
        assertTrue(output.contains("0 failures"), output);
    }
}
