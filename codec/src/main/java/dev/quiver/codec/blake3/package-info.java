/**
 * BLAKE3, our own implementation from the specification (the BLAKE3 paper, "BLAKE3: one function, fast
 * everywhere", and its reference algorithm).
 *
 * <ul>
 *   <li>{@link dev.quiver.codec.blake3.Blake3}: the facade. One-shot hash, keyed hash, derive-key, output of any
 *       length, incremental hashers, multithreaded hashing; everything on {@link
 *       dev.quiver.codec.blake3.Blake3#kernel()}, the native SIMD kernel when the native module is usable, else
 *       {@link dev.quiver.codec.blake3.JavaBlake3Kernel}.</li>
 *   <li>{@link dev.quiver.codec.blake3.Blake3Kernel}: the hot loops any implementation provides (whole-message hash
 *       and aligned-subtree chaining values); {@code Blake3KernelConformance} in codec's test-jar checks one.</li>
 *   <li>{@link dev.quiver.codec.blake3.Blake3Hasher} and {@link dev.quiver.codec.blake3.Blake3OutputReader}:
 *       incremental input, seekable extended output.</li>
 *   <li>{@link dev.quiver.codec.blake3.Blake3Tree}: chunk groups, parents, root, outboard and proofs for verified
 *       streaming.</li>
 * </ul>
 *
 * <p>The pure-Java kernel has two paths: an unrolled scalar compression on local variables (any JVM), and, when
 * {@code jdk.incubator.vector} is present and its code is compiled, several chunks per vector instruction.
 */
package dev.quiver.codec.blake3;
