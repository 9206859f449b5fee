package dev.quiver.transport.blob;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * The file system ran out of space (ENOSPC) while writing a download. The verified part is kept: free space (or
 * move the partial files) and run the download again to resume.
 */
public final class DiskFullException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Writing {@code file} failed with {@code cause} for lack of space. */
    public DiskFullException(Path file, IOException cause) {
        super("no space left on the device while writing " + file + "; the verified part is kept, free space and"
                + " run the download again to resume", cause);
    }

    /** Whether {@code e} (or a cause) is the operating system's ENOSPC, which Java reports only as a message. */
    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DiskFullException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
