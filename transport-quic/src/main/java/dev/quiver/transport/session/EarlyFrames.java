package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Control-stream frames (credit, reset, stop-sending) about a peer's stream whose StreamOpen has not been read yet.
 * QUIC orders bytes within a stream, not across streams, so a peer that opens a stream and at once grants credit
 * for it or gives it up can have that frame read first: the control stream is read at the packet, while the new
 * QUIC stream waits until the connection accepts it. Such frames wait here and are applied when the stream opens.
 *
 * <p>Bounded: at most {@value #MAX_FRAMES} frames wait, each at most {@value #KEEP_SECONDS} s (a stream that never
 * opens, for instance because its carrier was reset before its first bytes, is forgotten). A peer that names more
 * streams than that without opening them is lying, and the frame over the bound is a STREAM_STATE error.
 *
 * <p>Thread: owned by the session's event loop.
 */
final class EarlyFrames {
    static final int MAX_FRAMES = 1024;
    static final long KEEP_SECONDS = 10;
    private static final long KEEP_NS = KEEP_SECONDS * 1_000_000_000L;

    private final LinkedHashMap<StreamId, Waiting> byStream = new LinkedHashMap<>();
    private int frames;

    private record Waiting(long sinceNs, List<Frame> frames) {
    }

    /** Keeps {@code frame} about {@code id}, a stream not open yet, until {@link #release}. */
    void hold(StreamId id, Frame frame, long nowNs) throws ProtocolException {
        expire(nowNs);
        if (frames >= MAX_FRAMES) {
            throw new ProtocolException(ProtocolError.STREAM_STATE, "frame for " + id + ", which is not open ("
                    + frames + " frames already wait for streams that were never opened)");
        }
        byStream.computeIfAbsent(id, k -> new Waiting(nowNs, new ArrayList<>(2))).frames().add(frame);
        frames++;
    }

    /** The frames that wait for {@code id}, in arrival order; it opened or was refused. */
    List<Frame> release(StreamId id) {
        Waiting w = byStream.remove(id);
        if (w == null) {
            return List.of();
        }
        frames -= w.frames().size();
        return w.frames();
    }

    /** Frames waiting now. */
    int size() {
        return frames;
    }

    private void expire(long nowNs) {
        Iterator<Waiting> oldest = byStream.values().iterator(); // insertion order: oldest first
        while (oldest.hasNext()) {
            Waiting w = oldest.next();
            if (nowNs - w.sinceNs() < KEEP_NS) {
                return;
            }
            frames -= w.frames().size();
            oldest.remove();
        }
    }
}
