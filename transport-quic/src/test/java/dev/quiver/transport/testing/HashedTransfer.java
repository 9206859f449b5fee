package dev.quiver.transport.testing;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Hasher;
import dev.quiver.codec.stream.PriorityClass;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.QuiverNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * A verified bulk transfer over one logical stream: the receiver hashes everything it reads with BLAKE3 and sends
 * the 32-byte digest back; the sender hashes what it wrote and compares. Data is pseudo-random from a seed.
 */
public final class HashedTransfer {
    /** The subprotocol the hashing receiver serves. */
    public static final int SUBPROTOCOL = 0x51A7;
    private static final int CHUNK_BYTES = 64 * 1024;

    private HashedTransfer() {
    }

    /** Makes {@code node} hash every stream of {@link #SUBPROTOCOL} to its end and answer with the digest. */
    public static void serve(QuiverNode node) {
        node.handle(SUBPROTOCOL, (session, stream) -> {
            Blake3Hasher hasher = Blake3.newHasher();
            byte[] buffer = new byte[CHUNK_BYTES];
            InputStream in = stream.inputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
            try (OutputStream out = stream.outputStream()) {
                out.write(hasher.digest());
            }
        });
    }

    /**
     * The digests of a transfer: what was sent and what the receiver computed.
     *
     * @param sent     BLAKE3 of the bytes written
     * @param received BLAKE3 the receiver computed
     */
    public record Result(byte[] sent, byte[] received) {
        /** True if the receiver got exactly the bytes sent. */
        public boolean verified() {
            return java.util.Arrays.equals(sent, received);
        }
    }

    /**
     * Writes {@code totalBytes} of seeded random data on a new stream of {@code session}, calling
     * {@code progress} with the bytes written so far after every 64 KiB chunk (on the calling thread, so it may
     * block to change the network mid-transfer), then waits for the receiver's digest.
     */
    public static Result send(PeerSession session, long totalBytes, long seed, LongConsumer progress)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Blake3Hasher hasher = Blake3.newHasher();
        byte[] chunk = new byte[CHUNK_BYTES];
        try (LogicalStream stream = session.openStream(SUBPROTOCOL, PriorityClass.BULK, 16)) {
            OutputStream out = stream.outputStream();
            long written = 0;
            while (written < totalBytes) {
                int n = (int) Math.min(chunk.length, totalBytes - written);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                hasher.update(chunk, 0, n);
                written += n;
                progress.accept(written);
            }
            out.close();
            byte[] digest = stream.inputStream().readNBytes(33);
            return new Result(hasher.digest(), digest);
        }
    }
}
