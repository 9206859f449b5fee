package dev.quiver.transport.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushPointsTest {

    @Test
    void deliveryPassingAPushPointWakesOnce() {
        PushPoints points = new PushPoints();
        assertFalse(points.passedBy(100), "no push point yet");
        points.frameEnded(100);
        assertFalse(points.passedBy(99));
        assertTrue(points.passedBy(100));
        assertFalse(points.passedBy(150), "that push point already woke the reader");
    }

    @Test
    void aPushFrameArrivingBeforeTheBytesUnderItWakesWhenThoseArrive() {
        PushPoints points = new PushPoints();
        // [100, 200) ended a message and arrived first; [0, 100) comes later, on another path, with the hint.
        points.frameEnded(200);
        assertFalse(points.passedBy(0), "the hole at 0 holds delivery back");
        assertTrue(points.passedBy(200), "delivery of [0, 200) passes the push point");
    }

    @Test
    void aLaterPushPointSupersedesAnEarlierOneNotYetPassed() {
        PushPoints points = new PushPoints();
        points.frameEnded(100);
        points.frameEnded(300);
        assertFalse(points.passedBy(100), "the bytes up to 300 were written before it: they arrive without a reader");
        assertTrue(points.passedBy(300));
        points.frameEnded(250); // a late copy of an older frame
        assertFalse(points.passedBy(300));
    }
}
