package dev.quiver.transport.blob;

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
