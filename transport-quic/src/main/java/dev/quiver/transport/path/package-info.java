/**
 * Paths of a multipath session, as policy without I/O (the session package does the I/O and owns the paths).
 *
 * <ul>
 *   <li>{@link dev.quiver.transport.path.PathEstimator}: per path, write-to-ack RTT (smoothed and minimum),
 *       delivery rate, bytes in flight and the adaptive in-flight allowance that replaces a fixed per-path
 *       cap.</li>
 *   <li>{@link dev.quiver.transport.path.PathScheduler}: picks the path for the next data frames: lowest expected
 *       delivery delay ({@code srtt + inflight / goodput}, penalised by loss) among paths with budget; standby
 *       paths only while no other path is usable.</li>
 *   <li>{@link dev.quiver.transport.path.StallDetector}: declares a path stalled when nothing arrived on it for a
 *       few probe intervals and RTTs (0.25-0.6 s), long before QUIC's idle timeout, so its frames are
 *       re-sent on the others.</li>
 * </ul>
 */
package dev.quiver.transport.path;
