package dev.quiver.transport.blob;

/** Where a {@link Transfer} stands. */
public enum TransferState {
    /** Fetching the manifest (collections) or the blob's length. */
    STARTING,
    /** Fetching ranges. */
    RUNNING,
    /** Every byte verified and in place under its final name. */
    DONE,
    /** Failed; {@link Transfer#result()} holds the error; the verified part is kept. */
    FAILED,
    /** Cancelled; the verified part is kept. */
    CANCELLED
}
