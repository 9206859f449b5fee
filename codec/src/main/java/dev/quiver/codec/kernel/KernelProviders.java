package dev.quiver.codec.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the native kernel provider once per JVM. When none is on the class path, or it cannot run here, callers
 * fall back to codec's pure-Java kernels; the reason is logged once, with what the user can do about it.
 */
public final class KernelProviders {
    private static final Logger LOG = LoggerFactory.getLogger(KernelProviders.class);

    private KernelProviders() {
    }

    /** The usable native provider, if any. */
    public static Optional<KernelProvider> nativeProvider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final Optional<KernelProvider> PROVIDER = load();

        private static Optional<KernelProvider> load() {
            try {
                for (KernelProvider provider : ServiceLoader.load(KernelProvider.class)) {
                    Optional<Throwable> cause = provider.unavailabilityCause();
                    if (cause.isEmpty()) {
                        return Optional.of(provider);
                    }
                    LOG.warn("Native kernels unavailable, using pure Java: {}", cause.get().getMessage());
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("Native kernels unavailable, using pure Java: {}", e.getMessage());
                return Optional.empty();
            }
            LOG.debug("No native kernel provider on the class path; using pure Java");
            return Optional.empty();
        }
    }
}
