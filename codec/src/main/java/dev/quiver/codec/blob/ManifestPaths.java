package dev.quiver.codec.blob;

import dev.quiver.codec.blob.InvalidManifestException.Reason;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules a collection path obeys so that writing it under a target directory can only create a file inside
 * that directory: relative, {@code /}-separated, no empty, {@code .} or {@code ..} segment, no NUL or backslash,
 * valid UTF-8, at most {@link BlobLimits#MAX_PATH_BYTES} bytes and {@link BlobLimits#MAX_SEGMENT_BYTES} per
 * segment. And the canonical order of a manifest: byte-wise on UTF-8 with {@code /} below every other byte,
 * which sorts segment by segment and puts every {@code a/...} right after {@code a}, so a duplicate or a
 * file/directory clash is always next to its twin and a reader needs only the previous path to catch it.
 */
public final class ManifestPaths {

    private ManifestPaths() {
    }

    /** The UTF-8 bytes of {@code path}, checked. */
    public static byte[] encode(String path) throws InvalidManifestException {
        byte[] bytes;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(path));
            bytes = new byte[b.remaining()];
            b.get(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidManifestException(Reason.BAD_ENCODING, "path is not encodable as UTF-8");
        }
        check(bytes);
        return bytes;
    }

    /** The path that {@code bytes} (UTF-8) spell, checked. */
    public static String decode(byte[] bytes) throws InvalidManifestException {
        check(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidManifestException(Reason.BAD_ENCODING, "path bytes are not valid UTF-8");
        }
    }

    /** Checks the byte-level rules (see the class comment). */
    static void check(byte[] p) throws InvalidManifestException {
        if (p.length > BlobLimits.MAX_PATH_BYTES) {
            throw new InvalidManifestException(Reason.TOO_LONG, "path of " + p.length + " bytes > "
                    + BlobLimits.MAX_PATH_BYTES);
        }
        if (p.length > 0 && p[0] == '/') {
            throw new InvalidManifestException(Reason.ABSOLUTE_PATH, show(p));
        }
        int segStart = 0;
        for (int i = 0; i <= p.length; i++) {
            if (i < p.length && (p[i] == 0 || p[i] == '\\')) {
                throw new InvalidManifestException(Reason.FORBIDDEN_CHARACTER, "byte 0x"
                        + Integer.toHexString(p[i]) + " at " + i + " in " + show(p));
            }
            if (i == p.length || p[i] == '/') {
                int len = i - segStart;
                if (len == 0) {
                    throw new InvalidManifestException(Reason.EMPTY_SEGMENT, show(p));
                }
                if (len > BlobLimits.MAX_SEGMENT_BYTES) {
                    throw new InvalidManifestException(Reason.TOO_LONG, "segment of " + len + " bytes > "
                            + BlobLimits.MAX_SEGMENT_BYTES);
                }
                if (p[segStart] == '.' && (len == 1 || (len == 2 && p[segStart + 1] == '.'))) {
                    throw new InvalidManifestException(Reason.DOT_SEGMENT, show(p));
                }
                segStart = i + 1;
            }
        }
    }

    /** Canonical order of two checked paths' UTF-8 bytes: negative, zero or positive. */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(rank(a[i]), rank(b[i]));
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Whether {@code dir} names a directory that holds {@code path} ({@code a} and {@code a/b}). */
    static boolean isDirectoryOf(byte[] dir, byte[] path) {
        return path.length > dir.length && path[dir.length] == '/'
                && java.util.Arrays.equals(dir, 0, dir.length, path, 0, dir.length);
    }

    private static int rank(byte b) {
        return b == '/' ? -1 : b & 0xFF;
    }

    private static String show(byte[] p) {
        String s = new String(p, StandardCharsets.UTF_8);
        return '"' + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + '"';
    }
}
