package dev.quiver.transport.session;

import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The session's logical streams: the open ones by ID, and the most recently closed IDs, so that late frames of a
 * finished stream are dropped quietly while a frame for a stream never opened is a protocol error (credit,
 * reset and stop-sending for a peer's stream not open yet wait for it instead: {@link EarlyFrames}).
 *
 * <p>Thread: owned by the session's event loop.
 */
final class StreamTable {
    private static final int CLOSED_IDS_REMEMBERED = 16384;

    private final Map<StreamId, StreamState> open = new HashMap<>();
    private final LinkedHashSet<StreamId> closed = new LinkedHashSet<>();

    int size() {
        return open.size();
    }

    StreamState get(StreamId id) {
        return open.get(id);
    }

    boolean isOpen(StreamState state) {
        return open.get(state.id()) == state;
    }

    boolean containsKey(StreamId id) {
        return open.containsKey(id);
    }

    Collection<StreamState> values() {
        return open.values();
    }

    /** Registers {@code state} (its ID may have been closed before: it is open again). */
    void put(StreamState state) {
        closed.remove(state.id());
        open.put(state.id(), state);
    }

    /** Whether {@code id} closed recently (its late frames are dropped). */
    boolean recentlyClosed(StreamId id) {
        return closed.contains(id);
    }

    /**
     * The open stream {@code id}, or {@code null} for one recently closed (late frames are harmless); a frame for
     * a stream never opened is a STREAM_STATE error.
     */
    StreamState known(StreamId id) throws ProtocolException {
        StreamState s = open.get(id);
        if (s == null && !closed.contains(id)) {
            throw new ProtocolException(ProtocolError.STREAM_STATE, "frame for " + id + ", which is not open");
        }
        return s;
    }

    /** {@code id} is closed: forget its state, remember the ID for a while. */
    void forget(StreamId id) {
        open.remove(id);
        closed.add(id);
        if (closed.size() > CLOSED_IDS_REMEMBERED) {
            Iterator<StreamId> oldest = closed.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The session closed: every stream is gone. */
    void clear() {
        open.clear();
    }
}
