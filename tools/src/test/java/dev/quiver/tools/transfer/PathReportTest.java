package dev.quiver.tools.transfer;

import dev.quiver.transport.PathState;
import dev.quiver.transport.PathStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathReportTest {

    @Test
    @Timeout(5)
    void aPathLineNamesItsAddressesStateAndCounters() {
        PathStats stats = new PathStats(1, new InetSocketAddress("10.0.0.1", 4000),
                new InetSocketAddress("10.0.0.2", 5000), PathState.STALLED, 12_340_000, 10_000_000, 200e6, 0.0125,
                0, 1 << 20, 3 << 20, 2 << 20, 1 << 20, 1536);
        assertEquals("peer abc path 1 /10.0.0.1:4000 -> /10.0.0.2:5000 stalled: srtt 12.3 ms, goodput "
                + Sizes.rate(25e6) + ", loss 1.25 %, sent 3.00 MiB (acked 2.00 MiB, re-sent elsewhere 1.00 MiB), "
                + "received 1.50 KiB", PathReport.line("abc", stats));
    }
}
