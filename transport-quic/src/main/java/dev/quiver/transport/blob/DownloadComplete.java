package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.NodeId;

/**
 * A downloader told this provider it has finished (verified and written) {@code hash}: a blob, or a collection's
 * manifest once every file of the collection is in place. Advisory: a peer may say so without having fetched
 * anything from us; it only lets a one-shot sender stop serving.
 *
 * @param peer the downloader
 * @param hash what it finished
 */
public record DownloadComplete(NodeId peer, BlobHash hash) { }
