package dev.quiver.transport.path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Standby paths (a relay kept as the backup of a direct path) carry data only when nothing else can. */
class PathSchedulerStandbyTest {

    /** A path with fixed RTT, an in-flight load and a standby flag. */
    private static final class Fixed implements PathScheduler.Candidate {
        final PathEstimator estimator = new PathEstimator(1 << 20, 4 << 20);
        boolean usable = true;
        boolean standby;

        Fixed(long rttNs, long inflightBytes) {
            estimator.onSent(inflightBytes, 0);
            // One acknowledged byte gives the estimator its RTT sample.
            estimator.onSent(1, 0);
            estimator.onAcked(1, 0, rttNs);
        }

        @Override
        public boolean usable() {
            return usable;
        }

        @Override
        public PathEstimator estimator() {
            return estimator;
        }

        @Override
        public double lossRatio() {
            return 0;
        }

        @Override
        public boolean standby() {
            return standby;
        }
    }

    @Test
    @Timeout(5)
    void aStandbyPathIsNotPickedWhileAnotherIsUsableEvenIfItScoresBetter() {
        Fixed relay = new Fixed(1_000_000, 0);
        Fixed direct = new Fixed(50_000_000, 0);
        List<Fixed> paths = List.of(relay, direct);
        assertEquals(0, PathScheduler.pick(paths, 0), "without standby the faster path wins");
        relay.standby = true;
        assertEquals(1, PathScheduler.pick(paths, 0));
    }

    @Test
    @Timeout(5)
    void aUsablePrimaryWithoutBudgetMakesTheSchedulerWaitRatherThanSpillOntoStandby() {
        Fixed relay = new Fixed(1_000_000, 0);
        Fixed direct = new Fixed(1_000_000, 4 << 20);
        relay.standby = true;
        assertEquals(-1, PathScheduler.pick(List.of(relay, direct), 64 << 10));
    }

    @Test
    @Timeout(5)
    void theStandbyPathCarriesDataWhenThePrimaryIsUnusable() {
        Fixed relay = new Fixed(1_000_000, 0);
        Fixed direct = new Fixed(1_000_000, 0);
        relay.standby = true;
        direct.usable = false;
        assertEquals(0, PathScheduler.pick(List.of(relay, direct), 0));
        relay.usable = false;
        assertEquals(-1, PathScheduler.pick(List.of(relay, direct), 0));
    }
}
