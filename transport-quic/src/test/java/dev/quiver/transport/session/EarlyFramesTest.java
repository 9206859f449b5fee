package dev.quiver.transport.session;

import dev.quiver.codec.frame.Frame;
import dev.quiver.codec.frame.MaxStreamData;
import dev.quiver.codec.frame.StopSending;
import dev.quiver.codec.frame.StreamReset;
import dev.quiver.codec.stream.StreamId;
import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EarlyFrames} on a fake clock: frames wait per stream in arrival order, within a bound and for a while.
 * (SubprotocolStreamsIT opens and gives up streams back to back over real QUIC, which makes such frames common.)
 */
class EarlyFramesTest {
    private static final long SECOND = 1_000_000_000L;
    private final StreamId a = StreamId.subprotocol(0x2000, 7);
    private final StreamId b = StreamId.subprotocol(0x2000, 8);

    @Test
    void framesWaitPerStreamInArrivalOrderUntilReleased() throws ProtocolException {
        EarlyFrames early = new EarlyFrames();
        Frame credit = new MaxStreamData(a, 1 << 20);
        Frame stop = new StopSending(a, 3);
        Frame reset = new StreamReset(b, 3, 0);
        early.hold(a, credit, 0);
        early.hold(b, reset, 1);
        early.hold(a, stop, 2);

        assertEquals(List.of(credit, stop), early.release(a));
        assertEquals(List.of(), early.release(a), "released once");
        assertEquals(1, early.size());
        assertEquals(List.of(reset), early.release(b));
        assertEquals(0, early.size());
    }

    @Test
    void aPeerThatNamesTooManyStreamsWithoutOpeningThemIsAProtocolError() throws ProtocolException {
        EarlyFrames early = new EarlyFrames();
        for (int i = 0; i < EarlyFrames.MAX_FRAMES; i++) {
            StreamId id = StreamId.subprotocol(0x2000, i);
            early.hold(id, new StopSending(id, 0), i);
        }
        StreamId more = StreamId.subprotocol(0x2000, EarlyFrames.MAX_FRAMES);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> early.hold(more, new StopSending(more, 0), EarlyFrames.MAX_FRAMES));
        assertEquals(ProtocolError.STREAM_STATE, e.error());
        assertTrue(e.getMessage().contains(more.toString()), e.getMessage());
    }

    @Test
    void framesForAStreamThatNeverOpensAreForgottenAfterAWhile() throws ProtocolException {
        EarlyFrames early = new EarlyFrames();
        early.hold(a, new StopSending(a, 0), 0);
        early.hold(b, new StopSending(b, 0), 5 * SECOND);

        StreamId c = StreamId.subprotocol(0x2000, 9);
        early.hold(c, new StopSending(c, 0), EarlyFrames.KEEP_SECONDS * SECOND);
        assertEquals(List.of(), early.release(a), "older than the keep time: forgotten");
        assertEquals(1, early.release(b).size(), "younger: still waiting");
        assertEquals(1, early.size());
    }
}
