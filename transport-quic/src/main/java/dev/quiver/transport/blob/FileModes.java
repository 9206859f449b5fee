package dev.quiver.transport.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** POSIX permission bits (0777) to and from NIO's permission sets; the enum's order is owner, group, others, rwx. */
final class FileModes {

    private static final PosixFilePermission[] BITS = PosixFilePermission.values();

    private FileModes() {
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    /**
     * This process's umask, or -1 where it cannot be read (Linux shows it in /proc/self/status since 4.7). A file
     * created with mode {@code m} gets {@code m & ~umask}, so a mode without umask bits needs no chmod after.
     */
    static int umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).strip(), 8) & 0777;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an old kernel: callers chmod every file.
        }
        return -1;
    }

    static Set<PosixFilePermission> toPermissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : BITS) {
            if ((mode >>> (8 - p.ordinal()) & 1) != 0) {
                perms.add(p);
            }
        }
        return perms;
    }
}
