package dev.quiver.transport.blob;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BlobDownloader} fetches.
 *
 * @param lz4 ask providers for LZ4 per 16 KiB group (a group that does not shrink still comes raw)
 * @param stallTimeout a provider with requests outstanding that sends nothing for this long is dropped
 * @param maxRetries connection attempts per provider after a transient failure (dial error, closed session),
 *                   with exponential backoff from {@code retryBackoff}; bad data is never retried
 * @param retryBackoff the first backoff
 * @param minUnitGroups the smallest work unit, in 16 KiB groups (64 = 1 MiB); a provider's unit grows with its
 *                      measured rate up to {@code maxUnitGroups}
 * @param maxUnitGroups the largest work unit (256 = 4 MiB)
 * @param inflightBytesPerProvider requested and not yet received bytes per provider (the pipelining window)
 * @param maxInflightRequests requests outstanding per provider (many small files pipeline up to this)
 * @param commitIntervalBytes make verified bytes durable and record them in the resume bitmap after this many
 */
public record DownloadOptions(boolean lz4, Duration stallTimeout, int maxRetries, Duration retryBackoff,
                              int minUnitGroups, int maxUnitGroups, long inflightBytesPerProvider,
                              int maxInflightRequests, long commitIntervalBytes) {

    /** No LZ4, 10 s stall timeout, 3 retries from 200 ms, 1–4 MiB units, 8 MiB and 256 requests in flight, commit
     *  every 64 MiB. */
    public static final DownloadOptions DEFAULT = new DownloadOptions(false, Duration.ofSeconds(10), 3,
            Duration.ofMillis(200), 64, 256, 8L << 20, 256, 64L << 20);

    /** Checks the ranges. */
    public DownloadOptions {
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (minUnitGroups < 1 || maxUnitGroups < minUnitGroups || maxUnitGroups > 4096) {
            throw new IllegalArgumentException("unit groups must satisfy 1 <= min <= max <= 4096: " + minUnitGroups
                    + ", " + maxUnitGroups);
        }
        if (maxRetries < 0 || maxInflightRequests < 1 || inflightBytesPerProvider < 16 * 1024
                || commitIntervalBytes < 16 * 1024 || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("bad download options: " + maxRetries + " retries, "
                    + maxInflightRequests + " requests, " + inflightBytesPerProvider + " in-flight bytes, commit "
                    + commitIntervalBytes + ", stall " + stallTimeout);
        }
    }

    /** These options with LZ4 on or off. */
    public DownloadOptions withLz4(boolean value) {
        return new DownloadOptions(value, stallTimeout, maxRetries, retryBackoff, minUnitGroups, maxUnitGroups,
                inflightBytesPerProvider, maxInflightRequests, commitIntervalBytes);
    }

    /** These options with another stall timeout. */
    public DownloadOptions withStallTimeout(Duration value) {
        return new DownloadOptions(lz4, value, maxRetries, retryBackoff, minUnitGroups, maxUnitGroups,
                inflightBytesPerProvider, maxInflightRequests, commitIntervalBytes);
    }

    /** These options with another commit interval. */
    public DownloadOptions withCommitIntervalBytes(long value) {
        return new DownloadOptions(lz4, stallTimeout, maxRetries, retryBackoff, minUnitGroups, maxUnitGroups,
                inflightBytesPerProvider, maxInflightRequests, value);
    }

    /** These options with another retry budget. */
    public DownloadOptions withRetries(int retries, Duration backoff) {
        return new DownloadOptions(lz4, stallTimeout, retries, backoff, minUnitGroups, maxUnitGroups,
                inflightBytesPerProvider, maxInflightRequests, commitIntervalBytes);
    }

    /** These options with other work-unit sizes and pipelining window. */
    public DownloadOptions withUnits(int minGroups, int maxGroups, long inflightBytes) {
        return new DownloadOptions(lz4, stallTimeout, maxRetries, retryBackoff, minGroups, maxGroups, inflightBytes,
                maxInflightRequests, commitIntervalBytes);
    }
}
