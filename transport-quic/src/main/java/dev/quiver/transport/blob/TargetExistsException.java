package dev.quiver.transport.blob;

import java.io.Serial;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/** A download would overwrite an existing file and replacing was not asked for; nothing was written. */
public final class TargetExistsException extends FileAlreadyExistsException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** {@code target} exists. */
    public TargetExistsException(Path target) {
        super(target.toString(), null, "target exists; pass replace (--force) to overwrite it");
    }
}
