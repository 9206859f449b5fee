/**
 * Blobs on disk: the content-addressed {@link dev.quiver.transport.blob.BlobStore} (with
 * {@link dev.quiver.transport.blob.FsBlobStore} and {@link dev.quiver.transport.blob.MemoryBlobStore}), the
 * resumable, crash-safe {@link dev.quiver.transport.blob.PartialBlob} a download writes verified groups into, and
 * directory collections ({@link dev.quiver.transport.blob.CollectionImporter},
 * {@link dev.quiver.transport.blob.CollectionExporter}). No Netty here: the provider and downloader that move
 * these over sessions build on it.
 */
package dev.quiver.transport.blob;
