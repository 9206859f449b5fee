package dev.quiver.tools.cmd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code quiver hash} as a real process (the shaded CLI jar) against Debian's {@code b3sum} on the same files:
 * standard output must be byte-identical. tools/test installs b3sum when it is missing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HashCommandIT {
    private static final Path JAR = Path.of("target", "quiver.jar").toAbsolutePath();

    @TempDir
    static Path dir;
    static Path empty;
    static Path oneByte;
    static Path mibPlusOne;
    static Path gibPlusOne;

    @BeforeAll
    static void makeFiles() throws IOException {
        assumeTrue(Files.isRegularFile(JAR), "the CLI jar " + JAR + " is missing; run through `mvn verify`");
        assumeTrue(onPath("b3sum"), "b3sum is not installed (tools/test installs it as root); skipping");
        empty = Files.write(dir.resolve("empty"), new byte[0]);
        oneByte = Files.write(dir.resolve("one byte"), new byte[] {42});
        mibPlusOne = Files.write(dir.resolve("mib+1.bin"), random((1 << 20) + 1, 1));
        gibPlusOne = dir.resolve("gib+1.bin");
        try (RandomAccessFile file = new RandomAccessFile(gibPlusOne.toFile(), "rw")) {
            byte[] block = random(1 << 20, 2);
            for (int i = 0; i < 1024; i++) {
                block[i] ^= (byte) i;   // every MiB differs, so a kernel that skips blocks cannot pass
                file.write(block);
            }
            file.write(7);
        }
    }

    @Test
    void plainHashesMatchB3sum() throws Exception {
        assertSameOutput(List.of(empty, oneByte, mibPlusOne, gibPlusOne), List.of(), null);
    }

    @Test
    void singleThreadAndNoMmapMatchB3sum() throws Exception {
        Result quiver = run(quiverCommand(List.of("--no-mmap"), List.of(mibPlusOne, gibPlusOne)), null);
        Result quiverOneThread = run(quiverCommand(List.of("--threads", "1"), List.of(mibPlusOne, gibPlusOne)), null);
        Result b3sum = run(b3sumCommand(List.of(), List.of(mibPlusOne, gibPlusOne)), null);
        assertEquals(b3sum.stdout(), quiver.stdout());
        assertEquals(b3sum.stdout(), quiverOneThread.stdout());
    }

    @Test
    void lengthMatchesB3sum() throws Exception {
        assertSameOutput(List.of(empty, mibPlusOne), List.of("--length", "100"), null);
    }

    @Test
    void deriveKeyMatchesB3sum() throws Exception {
        assertSameOutput(List.of(oneByte, mibPlusOne), List.of("--derive-key", "quiver 2026 test context"), null);
    }

    @Test
    void keyedReadsTheKeyFromStdinAsB3sumDoes() throws Exception {
        byte[] key = random(32, 3);
        assertSameOutput(List.of(empty, mibPlusOne), List.of("--keyed"), key);
        Result shortKey = run(quiverCommand(List.of("--keyed"), List.of(oneByte)), new byte[31]);
        assertEquals(1, shortKey.exit());
        assertTrue(shortKey.stderr().contains("32 key bytes"), shortKey.stderr());
    }

    @Test
    void standardInputMatchesB3sum() throws Exception {
        byte[] data = random(300_000, 4);
        Result quiver = run(quiverCommand(List.of(), List.of()), data);
        Result b3sum = run(b3sumCommand(List.of(), List.of()), data);
        assertEquals(b3sum.stdout(), quiver.stdout());
    }

    @Test
    void oddFileNamesAreEscapedAsB3sumDoes() throws Exception {
        Path odd = Files.write(dir.resolve("back\\slash\nnewline"), new byte[] {1, 2, 3});
        assertSameOutput(List.of(odd), List.of(), null);
    }

    @Test
    void missingFileAndDirectoryAreReportedAndTheOthersStillHashed() throws Exception {
        Path missing = dir.resolve("no-such-file");
        Result quiver = run(quiverCommand(List.of(), List.of(oneByte, missing, dir, mibPlusOne)), null);
        Result b3sum = run(b3sumCommand(List.of(), List.of(oneByte, mibPlusOne)), null);
        assertEquals(1, quiver.exit());
        assertEquals(b3sum.stdout(), quiver.stdout());
        assertTrue(quiver.stderr().contains(missing + ": No such file or directory"), quiver.stderr());
        assertTrue(quiver.stderr().contains(dir + ": Is a directory"), quiver.stderr());
    }

    private static void assertSameOutput(List<Path> files, List<String> flags, byte[] stdin) throws Exception {
        Result quiver = run(quiverCommand(flags, files), stdin);
        Result b3sum = run(b3sumCommand(flags, files), stdin);
        assertEquals(0, b3sum.exit(), b3sum.stderr());
        assertEquals(0, quiver.exit(), quiver.stderr());
        assertNotEquals("", quiver.stdout());
        assertEquals(b3sum.stdout(), quiver.stdout());
    }

    private static List<String> quiverCommand(List<String> flags, List<Path> files) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(), "hash"));
        command.addAll(flags);
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    private static List<String> b3sumCommand(List<String> flags, List<Path> files) {
        List<String> command = new ArrayList<>(List.of("b3sum"));
        flags.forEach(f -> command.add(f.equals("--threads") ? "--num-threads" : f));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(List<String> command, byte[] stdin) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "timed out: " + command);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    private static boolean onPath(String command) {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dirName, command))) {
                return true;
            }
        }
        return false;
    }
}
