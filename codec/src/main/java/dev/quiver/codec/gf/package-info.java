/**
 * GF(2^8) arithmetic over the AES polynomial 0x11B: {@link dev.quiver.codec.gf.Gf256} (field operations and the
 * lookup tables every tier shares), the {@link dev.quiver.codec.gf.GfKernel} contract for bulk multiply,
 * multiply-accumulate and dot products, its pure-Java tiers ({@link dev.quiver.codec.gf.ScalarGfKernel}, the
 * reference, and {@link dev.quiver.codec.gf.VectorGfKernel}, split-nibble shuffles on the Vector API), and
 * {@link dev.quiver.codec.gf.GfKernels}, which picks the fastest tier that works here (native first).
 */
package dev.quiver.codec.gf;
