package dev.quiver.codec.kernel;

import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.gf.GfKernel;

import java.util.List;
import java.util.Optional;

/**
 * Service-provider interface for faster kernels than codec's pure-Java ones (the native module registers one
 * through {@link java.util.ServiceLoader}). A provider that cannot run here (other OS or CPU, native access denied)
 * returns empty results and explains why in {@link #unavailabilityCause()}.
 */
public interface KernelProvider {

    /** The BLAKE3 kernel of the best tier this CPU runs, honouring the user's tier override. */
    Optional<Blake3Kernel> blake3();

    /** The GF(2^8) kernel of the best tier this CPU runs, honouring the user's tier override. */
    Optional<GfKernel> gf();

    /** Every BLAKE3 tier this CPU supports, widest first, for tests and benchmarks. */
    List<Blake3Kernel> blake3Tiers();

    /** Every GF(2^8) tier this CPU supports, widest first, for tests and benchmarks. */
    List<GfKernel> gfTiers();

    /** Why this provider offers nothing here, or empty when it works. */
    Optional<Throwable> unavailabilityCause();
}
