package dev.quiver.transport.blob;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs the tests mount (root only) under a name unique to this process ({@code qv-PID-...}), and unmount in a
 * finally block; mounts left by killed earlier runs (their process is gone) are unmounted first.
 */
final class Tmpfs implements AutoCloseable {

    private static final String PREFIX = "qv-";
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Whether this process runs as root (the only way to mount here). */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Mounts a tmpfs of {@code sizeMiB} at a fresh directory under {@code parent}; null if mounting is refused. */
    static Tmpfs mount(Path parent, String name, int sizeMiB) throws IOException, InterruptedException {
        cleanStale();
        Path mp = parent.resolve(PREFIX + ProcessHandle.current().pid() + "-" + name);
        Files.createDirectories(mp);
        if (run("mount", "-t", "tmpfs", "-o", "size=" + sizeMiB + "m", "tmpfs", mp.toString()) != 0) {
            return null;
        }
        return new Tmpfs(mp);
    }

    Path path() {
        return mountPoint;
    }

    /** Grows (or shrinks) the mounted file system in place; its files stay. */
    void resize(int sizeMiB) throws IOException, InterruptedException {
        if (run("mount", "-o", "remount,size=" + sizeMiB + "m", mountPoint.toString()) != 0) {
            throw new IOException("remount of " + mountPoint + " failed");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", mountPoint.toString()) != 0) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    /** Unmounts {@code qv-PID-*} tmpfs mounts whose process no longer exists. */
    private static void cleanStale() throws IOException, InterruptedException {
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8);
        for (String line : mounts) {
            String[] f = line.split(" ");
            if (f.length < 3 || !f[2].equals("tmpfs")) {
                continue;
            }
            String base = Path.of(f[1]).getFileName() == null ? "" : Path.of(f[1]).getFileName().toString();
            if (!base.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = base.split("-");
            try {
                long pid = Long.parseLong(parts[1]);
                if (ProcessHandle.of(pid).isEmpty()) {
                    run("umount", "-l", f[1]);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // not one of ours
            }
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
