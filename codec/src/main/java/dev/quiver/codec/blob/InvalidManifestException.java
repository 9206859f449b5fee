package dev.quiver.codec.blob;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.io.Serial;

/** A collection manifest that must not be written to disk: a path that escapes, clashes or does not parse. */
public final class InvalidManifestException extends ProtocolException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        /** The path starts with {@code /}. */
        ABSOLUTE_PATH,
        /** A segment is {@code ..} or {@code .}. */
        DOT_SEGMENT,
        /** The path is empty, has {@code //} or ends with {@code /}. */
        EMPTY_SEGMENT,
        /** The path holds NUL or a backslash (a separator elsewhere). */
        FORBIDDEN_CHARACTER,
        /** The path is not valid UTF-8 (or, from Java, holds an unpaired surrogate). */
        BAD_ENCODING,
        /** The path or a segment exceeds {@link BlobLimits#MAX_PATH_BYTES} or {@link BlobLimits#MAX_SEGMENT_BYTES}. */
        TOO_LONG,
        /** The same path appears twice. */
        DUPLICATE,
        /** A file's path is a directory of another entry ({@code a} and {@code a/b}). */
        FILE_DIRECTORY_CLASH,
        /** Entries are not in canonical order ({@link ManifestPaths#compare}). */
        NOT_CANONICAL_ORDER,
        /** A size, mode, count or header field is out of range, or the stream ends early or runs on. */
        MALFORMED,
        /** More entries than {@link BlobLimits#MAX_MANIFEST_ENTRIES}. */
        TOO_MANY_ENTRIES
    }

    private final Reason reason;

    /** An invalid manifest for {@code reason}; {@code detail} names the entry. */
    public InvalidManifestException(Reason reason, String detail) {
        super(reason == Reason.TOO_LONG || reason == Reason.TOO_MANY_ENTRIES ? ProtocolError.FRAME_TOO_LARGE
                : ProtocolError.PROTOCOL_VIOLATION, "collection manifest " + reason + ": " + detail);
        this.reason = reason;
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }
}
