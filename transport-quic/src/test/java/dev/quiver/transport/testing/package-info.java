/**
 * Test support shared through transport-quic's test-jar (type {@code test-jar}, scope {@code test}).
 *
 * <ul>
 *   <li>{@link dev.quiver.transport.testing.NetLab}: network namespaces, veth links ({@code down()}, {@code up()},
 *       {@code rateLimit(mbit)} with tbf), extra addresses and routes, and
 *       {@link dev.quiver.transport.testing.NetLab#inNamespace} to create sockets (nodes) inside a namespace
 *       from this JVM via {@code setns(2)} on a fresh platform thread (Panama FFM). Needs root and iproute2,
 *       else the test is skipped with the reason. Everything is named {@code qv<pid>...}, removed on close and
 *       by a shutdown hook, and leftovers of dead JVMs are removed on the next {@code create()}.</li>
 *   <li>{@link dev.quiver.transport.testing.HashedTransfer}: a BLAKE3-verified bulk transfer over one logical
 *       stream, with a progress callback to change the network mid-transfer.</li>
 * </ul>
 */
package dev.quiver.transport.testing;
