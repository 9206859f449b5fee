package dev.quiver.codec.blob;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.io.Serial;

/**
 * A provider's group data or a tree node above it does not hash to the root: the provider is lying (or corrupt)
 * and should be dropped; groups before {@link #groupIndex()} were verified and may be kept.
 */
public final class CorruptGroupException extends ProtocolException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long groupIndex;

    /** Verification failed at group {@code groupIndex}; {@code what} says whether the data or a tree node. */
    public CorruptGroupException(long groupIndex, String what) {
        super(ProtocolError.PROTOCOL_VIOLATION, "group " + groupIndex + " fails BLAKE3 verification: " + what);
        this.groupIndex = groupIndex;
    }

    /** The first group that could not be verified. */
    public long groupIndex() {
        return groupIndex;
    }
}
