package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;

import java.io.IOException;
import java.io.Serial;

/** The store, or every provider asked, does not hold the blob asked for. */
public final class BlobNotFoundException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient BlobHash hash;

    /** The blob {@code hash} is not in the store. */
    public BlobNotFoundException(BlobHash hash) {
        super("blob " + hash + " is not in the store");
        this.hash = hash;
    }

    /** The blob {@code hash} is missing, as {@code message} explains (for example: no provider has it). */
    public BlobNotFoundException(BlobHash hash, String message) {
        super(message);
        this.hash = hash;
    }

    /** The hash asked for. */
    public BlobHash hash() {
        return hash;
    }
}
