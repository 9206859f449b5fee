/**
 * The blob protocol's wire formats, pure Java and free of I/O.
 *
 * <ul>
 *   <li>{@link dev.quiver.codec.blob.RangeRequest}: which chunk groups (16 KiB) of which blob, with flags
 *       (prove the length, accept LZ4).</li>
 *   <li>{@link dev.quiver.codec.blob.RangeEncoder} (provider) and {@link dev.quiver.codec.blob.VerifiedRangeDecoder}
 *       (receiver): the range response, group data interleaved in pre-order with the BLAKE3 tree nodes that prove
 *       it, so every group is verified as it arrives and a lying provider is caught at the group it lies about.</li>
 *   <li>{@link dev.quiver.codec.blob.ManifestWriter} and {@link dev.quiver.codec.blob.ManifestReader}: a
 *       collection's file list as a stream, with {@link dev.quiver.codec.blob.ManifestPaths}' rules that keep every
 *       path inside the target directory.</li>
 * </ul>
 * Caps on every peer-supplied length: {@link dev.quiver.codec.blob.BlobLimits}.
 */
package dev.quiver.codec.blob;
