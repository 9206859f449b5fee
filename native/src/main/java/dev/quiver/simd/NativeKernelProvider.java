package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.kernel.KernelProvider;

import java.util.List;
import java.util.Optional;

/**
 * Offers Quiver's native kernels to codec through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.quiver.codec.kernel.KernelProvider}). Everything comes from {@link Simd}.
 */
public final class NativeKernelProvider implements KernelProvider {

    /** For {@link java.util.ServiceLoader}. */
    public NativeKernelProvider() {
    }

    @Override
    public Optional<Blake3Kernel> blake3() {
        return Simd.blake3();
    }

    @Override
    public Optional<GfKernel> gf() {
        return Simd.gf();
    }

    @Override
    public List<Blake3Kernel> blake3Tiers() {
        return Simd.blake3Tiers();
    }

    @Override
    public List<GfKernel> gfTiers() {
        return Simd.gfTiers();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Simd.unavailabilityCause();
    }

    @Override
    public String toString() {
        return "NativeKernelProvider[" + (Simd.isAvailable() ? Simd.isa().tierName() : "unavailable") + "]";
    }
}
