package dev.quiver.transport.relay;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Hasher;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paced download for the upgrade tests: the target serves BLOB streams that ask for (length, seed) with that
 * many pseudo-random bytes at a bounded rate, so a transfer lasts long enough for a direct path to appear under
 * it; the dialer hashes what arrives and compares with the hash of the same bytes made locally.
 */
final class UpgradeTransfer {
    /** The target's sending rate: slow enough that the transfer outlives the upgrade, on a loaded host too. */
    static final long PACE_BYTES_PER_SECOND = 12L << 20;
    private static final int PIECE_BYTES = 128 << 10;

    private UpgradeTransfer() {
    }

    /** Makes {@code node} serve paced pseudo-random bytes on BLOB streams. */
    static void serve(QuiverNode node) {
        node.handle(StreamKind.BLOB, (session, stream) -> {
            DataInputStream in = new DataInputStream(stream.inputStream());
            long length = in.readLong();
            long seed = in.readLong();
            OutputStream out = stream.outputStream();
            byte[] piece = new byte[PIECE_BYTES];
            SplittableRandom random = new SplittableRandom(seed);
            long startNs = System.nanoTime();
            for (long sent = 0; sent < length; ) {
                int n = (int) Math.min(piece.length, length - sent);
                fill(random, piece, n);
                out.write(piece, 0, n);
                sent += n;
                long dueNs = startNs + sent * 1_000_000_000L / PACE_BYTES_PER_SECOND;
                long waitNs = dueNs - System.nanoTime();
                if (waitNs > 0) {
                    Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000));
                }
            }
            out.close();
        });
    }

    /** The BLAKE3 hash of the bytes {@link #serve} sends for ({@code length}, {@code seed}). */
    static byte[] expectedHash(long length, long seed) {
        Blake3Hasher hasher = Blake3.newHasher();
        byte[] piece = new byte[PIECE_BYTES];
        SplittableRandom random = new SplittableRandom(seed);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(piece.length, length - done);
            fill(random, piece, n);
            hasher.update(piece, 0, n);
            done += n;
        }
        return hasher.digest();
    }

    /**
     * Starts downloading the paced stream of {@code seed} over {@code session}; it runs until {@link
     * Download#stopAt} bytes have arrived (the target would send {@link #OPEN_ENDED_BYTES}), so a test ends it once
     * it has seen what it waited for, however slow the host is. The result is the hash of exactly those bytes,
     * to compare with {@link #expectedHash}.
     */
    static Download start(PeerSession session, long seed) {
        Download download = new Download();
        Thread.ofVirtual().start(() -> {
            try (LogicalStream stream = session.openStream(StreamKind.BLOB, PriorityClass.BULK, 1)) {
                DataOutputStream out = new DataOutputStream(stream.outputStream());
                out.writeLong(OPEN_ENDED_BYTES);
                out.writeLong(seed);
                out.close();
                Blake3Hasher hasher = Blake3.newHasher();
                InputStream in = stream.inputStream();
                byte[] buf = new byte[64 << 10];
                long total = 0;
                while (total < download.stopAt) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, download.stopAt - total));
                    if (n < 0) {
                        break;
                    }
                    hasher.update(buf, 0, n);
                    total += n;
                }
                download.result.complete(new Received(total, hasher.digest()));
            } catch (IOException | RuntimeException e) {
                download.result.completeExceptionally(e);
            }
        });
        return download;
    }

    /** The target would send this much: more than any test reads. */
    static final long OPEN_ENDED_BYTES = 1L << 40;

    /** A running download: set {@link #stopAt} to end it there. */
    static final class Download {
        volatile long stopAt = Long.MAX_VALUE;
        final CompletableFuture<Received> result = new CompletableFuture<>();
    }

    /** What a download got. */
    record Received(long bytes, byte[] hash) {
    }

    /** Bytes received on the paths of {@code session} that {@code relayed} says are (or are not) relayed. */
    static long received(PeerSession session, RelayClient client, boolean relayed) throws IOException {
        long sum = 0;
        for (PathStats p : session.paths()) {
            if ((client.kindOf(p) == PathKind.RELAYED) == relayed) {
                sum += p.bytesReceived();
            }
        }
        return sum;
    }

    /** The live direct paths of {@code session}. */
    static List<PathStats> directPaths(PeerSession session, RelayClient client) throws IOException {
        return session.paths().stream().filter(p -> p.state() != PathState.CLOSED
                && client.kindOf(p) == PathKind.DIRECT).toList();
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} after {@code timeoutMs}. */
    static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /**
     * What a quiet window saw: the direct path carried {@code directBytes} while the relayed path received
     * {@code relayedBytes} and the relay forwarded {@code forwardedBytes} (probes, acknowledgements).
     */
    record Window(long directBytes, long relayedBytes, long forwardedBytes) {
    }

    /**
     * Waits for a window in which the direct paths of {@code session} carry {@code directBytes} while the relayed
     * path receives at most {@code relayedSlackBytes}: that is, after the upgrade, bytes through the relay stop
     * growing. A window in which the relay carried more (the direct path stalled on a loaded host and the session
     * rightly fell back for a moment) is discarded and a new one starts.
     */
    static Window awaitQuietRelay(PeerSession session, RelayClient client, LongSupplier forwarded, long directBytes,
                                  long relayedSlackBytes, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        long direct0 = received(session, client, false);
        long relayed0 = received(session, client, true);
        long forwarded0 = forwarded.getAsLong();
        int windows = 1;
        while (true) {
            long direct = received(session, client, false) - direct0;
            long relayed = received(session, client, true) - relayed0;
            if (relayed > relayedSlackBytes) {
                direct0 = received(session, client, false);
                relayed0 = received(session, client, true);
                forwarded0 = forwarded.getAsLong();
                windows++;
            } else if (direct >= directBytes) {
                return new Window(direct, relayed, forwarded.getAsLong() - forwarded0);
            }
            assertTrue(System.nanoTime() < deadline, "no window of " + directBytes + " direct bytes with at most "
                    + relayedSlackBytes + " relayed in " + timeoutMs + " ms (" + windows + " windows)");
            Thread.sleep(50);
        }
    }

    private static void fill(SplittableRandom random, byte[] piece, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                piece[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
