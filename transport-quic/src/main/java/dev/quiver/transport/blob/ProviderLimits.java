package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobLimits;

/**
 * Caps a {@link BlobProvider} applies to what peers ask of it.
 *
 * @param maxGroupsPerRequest most 16 KiB groups one range request may ask for (the protocol's own cap is
 *                            {@link BlobLimits#MAX_GROUPS_PER_REQUEST}); a larger request resets the stream
 */
public record ProviderLimits(long maxGroupsPerRequest) {

    /** 64 MiB per request. */
    public static final ProviderLimits DEFAULT = new ProviderLimits(4096);

    /** Checks the range. */
    public ProviderLimits {
        if (maxGroupsPerRequest < 1 || maxGroupsPerRequest > BlobLimits.MAX_GROUPS_PER_REQUEST) {
            throw new IllegalArgumentException("maxGroupsPerRequest out of [1, " + BlobLimits.MAX_GROUPS_PER_REQUEST
                    + "]: " + maxGroupsPerRequest);
        }
    }
}
