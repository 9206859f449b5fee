package dev.quiver.transport.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileModesTest {

    @TempDir
    Path dir;

    @Test
    void modesRoundTripThroughPermissionSets() {
        for (int mode = 0; mode <= 0777; mode++) {
            assertEquals(mode, FileModes.toMode(FileModes.toPermissions(mode)), Integer.toOctalString(mode));
        }
        assertEquals("rwxr-x---", PosixFilePermissions.toString(FileModes.toPermissions(0750)));
    }

    @Test
    void theUmaskIsWhatTheKernelTakesFromANewFilesMode() throws Exception {
        int umask = FileModes.umask();
        assertTrue(umask >= 0 && umask <= 0777, "Linux shows the umask in /proc/self/status, got " + umask);
        Path file = Files.createFile(dir.resolve("f"),
                PosixFilePermissions.asFileAttribute(FileModes.toPermissions(0777)));
        assertEquals(0777 & ~umask, FileModes.toMode(Files.getPosixFilePermissions(file)));
    }
}
