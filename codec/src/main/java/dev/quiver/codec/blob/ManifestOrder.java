package dev.quiver.codec.blob;

import dev.quiver.codec.blob.InvalidManifestException.Reason;

import java.nio.charset.StandardCharsets;

/** The check between consecutive manifest paths: strictly ascending, and no file that is another's directory. */
final class ManifestOrder {

    private ManifestOrder() {
    }

    static void check(byte[] previous, byte[] path) throws InvalidManifestException {
        int c = ManifestPaths.compare(previous, path);
        if (c == 0) {
            throw new InvalidManifestException(Reason.DUPLICATE, show(path));
        }
        if (c > 0) {
            throw new InvalidManifestException(Reason.NOT_CANONICAL_ORDER, show(path) + " after " + show(previous));
        }
        if (ManifestPaths.isDirectoryOf(previous, path)) {
            throw new InvalidManifestException(Reason.FILE_DIRECTORY_CLASH, show(previous) + " is a file, but "
                    + show(path) + " needs it as a directory");
        }
    }

    private static String show(byte[] p) {
        return '"' + new String(p, StandardCharsets.UTF_8) + '"';
    }
}
