package dev.quiver.simd.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Puts the shared library's bytes in a file the dynamic linker can open.
 *
 * <p>The file lives in a per-user cache directory and is named by the SHA-256 of its content
 * ({@code libquiver_linux_x86_64-<hash>.so}), rather than in a temporary file deleted on exit, because:
 * <ul>
 *   <li>{@code deleteOnExit} never runs when the JVM crashes or is killed, so temporary copies pile up in
 *       {@code /tmp}; a content-named file is written once per library version and reused by every later JVM;</li>
 *   <li>concurrent JVMs are safe: each writes a private temporary file in the same directory and renames it into
 *       place atomically, and a name can only ever hold one content;</li>
 *   <li>{@code /tmp} is often mounted {@code noexec}, which makes loading from it fail; and</li>
 *   <li>an existing file is used only after its hash is checked, so a truncated or altered copy is replaced.</li>
 * </ul>
 * When the cache directory cannot be written (read-only home), a temporary file deleted on exit is the fallback.
 */
final class LibraryExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryExtractor.class);

    private LibraryExtractor() {
    }

    /** The default cache directory: {@code quiver.native.cacheDir}, else {@code $XDG_CACHE_HOME/quiver/native}, else {@code ~/.cache/quiver/native}. */
    static Path defaultCacheDir() {
        String configured = System.getProperty("quiver.native.cacheDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("quiver").resolve("native");
    }

    /**
     * A file holding exactly {@code library}, named {@code <stem>-<hash>.so} in {@code cacheDir}, or a temporary
     * file when the cache directory cannot be written.
     */
    static Path extract(byte[] library, String stem, Path cacheDir) throws IOException {
        String hash = sha256(library);
        Path target = cacheDir.resolve(stem + "-" + hash.substring(0, 32) + ".so");
        try {
            if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(hash)) {
                return target;
            }
            createPrivateDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, stem + "-", ".tmp");
            try {
                Files.write(tmp, library);
                moveIntoPlace(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot cache the native library in {} ({}); using a temporary file", cacheDir, e.toString());
            Path tmp = Files.createTempFile(stem + "-", ".so");
            tmp.toFile().deleteOnExit();
            Files.write(tmp, library);
            return tmp;
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Owner-only permissions: nobody else may plant a library where this user's JVMs load from. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
