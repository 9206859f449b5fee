package dev.quiver.transport.relay;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.transport.LogicalStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One reservation stream at the relay, served without a thread: it reads with {@link LogicalStream#poll} whenever
 * the stream becomes readable ({@link LogicalStream#onReadable}) and answers each whole message with a non-blocking
 * {@link LogicalStream#offer}. An idle reservation therefore holds no parked virtual thread (whose stack chunk was
 * about 4 KiB of the relay's heap per reservation) but this object and its {@value RelayCodec#MAX_MESSAGE_BYTES}-byte
 * buffer.
 *
 * <p>The stream ends the reservation when the node finishes it (FIN: the stream is closed in turn), when it fails
 * (reset, session closed), on a protocol error, or when the node stops reading its answers and the stream's send
 * window fills up (a reset with {@code INTERNAL} for the last three, as a failing stream handler gets).
 *
 * <p>Thread: {@link #onReadable} runs on the node's listener threads, never two runs at once for one stream (and
 * each run starts after the previous one ended, through the stream's lock), so the fields need no lock of their own.
 */
final class ReservationStream {

    /** The relay's answer to one request on a reservation stream. */
    @FunctionalInterface
    interface Answers {
        /** The answer to {@code request}; a request that has no place on a reservation stream throws. */
        RelayMessage answer(RelayMessage request) throws RelayProtocolException;
    }

    private final LogicalStream stream;
    private final Answers answers;
    private final Runnable onEnd;
    /** Bytes of a message not complete yet (write mode between runs); one message always fits. */
    private final ByteBuffer partial = ByteBuffer.allocate(RelayCodec.MAX_MESSAGE_BYTES);
    private boolean ended;

    /** Serves {@code stream} with {@code answers}; {@code onEnd} runs once when the reservation stream ends. */
    ReservationStream(LogicalStream stream, Answers answers, Runnable onEnd) {
        this.stream = stream;
        this.answers = answers;
        this.onEnd = onEnd;
    }

    /** Starts serving: the stream's handler may return right after this (the stream stays open). */
    void start() {
        stream.onReadable(this::onReadable);
    }

    /** Reads what has arrived and answers every whole message; ends the reservation at the end of the stream. */
    private void onReadable() {
        if (ended) {
            return;
        }
        try {
            while (true) {
                // partial never holds a whole message here, so it always has room for at least one more byte.
                int n = stream.poll(partial);
                if (n == LogicalStream.CLOSED) {
                    end();
                    stream.close();
                    return;
                }
                partial.flip();
                for (Optional<RelayMessage> m; (m = RelayCodec.take(partial)).isPresent(); ) {
                    reply(answers.answer(m.get()));
                }
                partial.compact();
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            end();
            stream.reset(ProtocolError.INTERNAL.code());
        }
    }

    private void reply(RelayMessage answer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(RelayCodec.encode(answer));
        int n = stream.offer(out);
        if (out.hasRemaining()) {
            throw new IOException(n == LogicalStream.CLOSED ? "the reservation stream is closed"
                    : "the node does not read the relay's answers (send window full)");
        }
    }

    private void end() {
        ended = true;
        onEnd.run();
    }
}
