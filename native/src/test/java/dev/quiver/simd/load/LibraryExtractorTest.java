package dev.quiver.simd.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Extraction to the content-addressed per-user cache: written once, reused, repaired, and never shared by content. */
@Timeout(30)
class LibraryExtractorTest {

    @Test
    void writesOnceThenReusesTheSameFile(@TempDir Path dir) throws Exception {
        byte[] lib = {1, 2, 3, 4, 5};
        Path first = LibraryExtractor.extract(lib, "libx", dir.resolve("cache"));
        long modified = Files.getLastModifiedTime(first).toMillis();
        Path second = LibraryExtractor.extract(lib, "libx", dir.resolve("cache"));
        assertEquals(first, second);
        assertEquals(modified, Files.getLastModifiedTime(second).toMillis());
        assertArrayEquals(lib, Files.readAllBytes(first));
        assertTrue(first.getFileName().toString().startsWith("libx-"));
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void aCorruptedCopyIsReplaced(@TempDir Path dir) throws Exception {
        byte[] lib = new byte[1000];
        Arrays.fill(lib, (byte) 7);
        Path path = LibraryExtractor.extract(lib, "libx", dir);
        Files.write(path, new byte[] {9, 9});
        assertEquals(path, LibraryExtractor.extract(lib, "libx", dir));
        assertArrayEquals(lib, Files.readAllBytes(path));
    }

    @Test
    void differentContentGetsADifferentName(@TempDir Path dir) throws Exception {
        assertNotEquals(LibraryExtractor.extract(new byte[] {1}, "libx", dir),
                LibraryExtractor.extract(new byte[] {2}, "libx", dir));
    }

    @Test
    void anUnwritableCacheFallsBackToATemporaryFile(@TempDir Path dir) throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.write(notADirectory, new byte[] {0});
        Path path = LibraryExtractor.extract(new byte[] {4, 2}, "libx", notADirectory.resolve("cache"));
        assertArrayEquals(new byte[] {4, 2}, Files.readAllBytes(path));
        assertTrue(!path.startsWith(notADirectory));
    }
}
