package dev.quiver.transport.blob;

/**
 * How many requests a downloader keeps outstanding at one provider: at most {@code maxRequests} requests and about
 * {@code maxBytes} of asked-for data (the last request may cross it). Once full, the window is refilled only after
 * a quarter of it has drained, not as each answer completes: for many small files that asks for dozens of them in
 * one write, so each batch costs one request packet and one wake-up of the provider, which answers the batch in one
 * write too, instead of a packet and a wake-up per file each way (10 000 small files: the receiver's sendto calls
 * went from 19 800 to 2 700 and its futex calls from 87 000 to 9 200, the provider's sendto calls from 18 000 to
 * 1 700).
 */
record RequestWindow(int maxRequests, long maxBytes) {

    RequestWindow {
        if (maxRequests < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("window of " + maxRequests + " requests, " + maxBytes + " bytes");
        }
    }

    /** Another request may join the batch being written. */
    boolean hasRoom(int requests, long bytes) {
        return requests < maxRequests && bytes < maxBytes;
    }

    /** A new batch may start: a quarter of the window (at least one request) has drained. */
    boolean canRefill(int requests, long bytes) {
        return requests <= maxRequests - Math.max(1, maxRequests / 4) && bytes <= maxBytes - maxBytes / 4;
    }
}
