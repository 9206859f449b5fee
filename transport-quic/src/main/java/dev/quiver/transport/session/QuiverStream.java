package dev.quiver.transport.session;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.transport.LogicalStream;
import dev.quiver.transport.PeerSession;
import dev.quiver.transport.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The application's handle on a logical stream: blocking stream views and the non-blocking offer/poll pair, all
 * over the stream's {@link StreamPipe}. Each call that hands work to the event loop does so with one
 * {@code execute}, and only when the loop is not already scheduled for it.
 *
 * <p>Thread: any application thread (one writer and one reader at a time), never the event loop for blocking
 * calls.
 */
final class QuiverStream implements LogicalStream {
    private static final Logger LOG = LoggerFactory.getLogger(QuiverStream.class);
    private final Session session;
    private final StreamState state;
    private final StreamPipe pipe;
    private final OutputStream out = new Out();
    private final InputStream in = new In();

    QuiverStream(Session session, StreamState state) {
        this.session = session;
        this.state = state;
        this.pipe = state.pipe();
    }

    @Override
    public StreamId id() {
        return state.id();
    }

    @Override
    public PeerSession session() {
        return session;
    }

    @Override
    public OutputStream outputStream() {
        return out;
    }

    @Override
    public InputStream inputStream() {
        return in;
    }

    @Override
    public int offer(ByteBuffer src) {
        boolean[] wake = new boolean[1];
        int n;
        try {
            n = pipe.offer(src, wake);
        } catch (IOException e) {
            return CLOSED;
        }
        wakeWriter(wake);
        return n == 0 && src.hasRemaining() ? BACK_PRESSURED : n;
    }

    @Override
    public int poll(ByteBuffer dst) throws IOException {
        boolean[] wake = new boolean[1];
        int n = pipe.read(null, 0, dst.remaining(), dst, false, wake);
        wakeReader(wake);
        return n < 0 ? CLOSED : n;
    }

    @Override
    public void onReadable(Runnable listener) {
        Objects.requireNonNull(listener);
        pipe.onReadable(() -> {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.debug("Readable listener of {} failed: {}", state.id(), e.toString());
                reset(ProtocolError.INTERNAL.code());
            }
        }, session.listenerExecutor());
    }

    /** Whether a readable listener serves the stream (its handler's return does not close it then). */
    boolean hasReadableListener() {
        return pipe.hasReadableListener();
    }

    @Override
    public void finish() throws IOException {
        if (pipe.requestFin()) {
            session.loop().execute(() -> session.streams().onOutput(state));
        }
    }

    @Override
    public void reset(long errorCode) {
        session.loop().execute(() -> session.streams().resetLocal(state, errorCode));
    }

    @Override
    public StreamStats stats() throws IOException {
        CompletableFuture<StreamStats> result = new CompletableFuture<>();
        session.loop().execute(() -> result.complete(state.stats()));
        return session.await(result, "collecting stream stats");
    }

    @Override
    public void close() {
        try {
            finish();
        } catch (IOException e) {
            // Already reset, stopped by the peer or the session closed: there is nothing left to finish.
        }
        if (pipe.closeReader()) {
            session.loop().execute(() -> session.streams().stopReceiving(state, ProtocolError.CANCELLED.code()));
        }
    }

    private void wakeWriter(boolean[] wake) {
        if (wake[0]) {
            session.loop().execute(() -> session.streams().onOutput(state));
        }
    }

    private void wakeReader(boolean[] wake) {
        if (wake[0]) {
            session.loop().execute(() -> session.streams().onReaderRoom(state));
        }
    }

    @Override
    public String toString() {
        return "logical stream " + state.id() + " of " + session;
    }

    /** Blocking writes; blocks while the send window is full (the peer has not acknowledged). */
    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            boolean[] wake = new boolean[1];
            while (len > 0) {
                wake[0] = false;
                int n = pipe.write(b, off, len, true, wake);
                wakeWriter(wake);
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            finish();
        }
    }

    /** Blocking reads; -1 at the peer's FIN. */
    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            boolean[] wake = new boolean[1];
            int n = pipe.read(b, off, len, null, true, wake);
            wakeReader(wake);
            return n;
        }

        @Override
        public void close() {
            if (pipe.closeReader()) {
                session.loop().execute(() -> session.streams().stopReceiving(state, ProtocolError.CANCELLED.code()));
            }
        }
    }
}
