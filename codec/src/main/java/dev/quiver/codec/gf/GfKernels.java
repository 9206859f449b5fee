package dev.quiver.codec.gf;

import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Picks the GF(2^8) kernel: the native provider's choice when one loads, else the Java Vector API tier when the
 * {@code jdk.incubator.vector} module is present and computes the same bytes as the scalar reference, else the
 * scalar tier. The choice is made once per JVM and logged once.
 */
public final class GfKernels {
    private static final Logger LOG = LoggerFactory.getLogger(GfKernels.class);

    private GfKernels() {
    }

    /** The fastest kernel that works here. */
    public static GfKernel best() {
        return Holder.BEST;
    }

    /** The Java reference tier. */
    public static GfKernel scalar() {
        return Holder.SCALAR;
    }

    /** The Java Vector API tier, or empty when the incubator module is missing or does not work here. */
    public static Optional<GfKernel> vector() {
        return Holder.VECTOR;
    }

    /** Every tier that works here: Java scalar, Java vector (if usable), then the native tiers, widest first. */
    public static List<GfKernel> all() {
        List<GfKernel> tiers = new ArrayList<>();
        tiers.add(scalar());
        vector().ifPresent(tiers::add);
        KernelProviders.nativeProvider().ifPresent(p -> tiers.addAll(p.gfTiers()));
        return List.copyOf(tiers);
    }

    /** The tier called {@code name} ({@link GfKernel#name()}), if it works here. */
    public static Optional<GfKernel> byName(String name) {
        return all().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    private static final class Holder {
        static final GfKernel SCALAR = new ScalarGfKernel();
        static final Optional<GfKernel> VECTOR = loadVector();
        static final GfKernel BEST = pickBest();

        private static Optional<GfKernel> loadVector() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.info("GF(2^8) Vector API tier off: start the JVM with --add-modules jdk.incubator.vector");
                return Optional.empty();
            }
            try {
                GfKernel k = new VectorGfKernel();
                if (!agreesWithScalar(k)) {
                    LOG.warn("GF(2^8) Vector API tier disagrees with the scalar reference here; not using it");
                    return Optional.empty();
                }
                return Optional.of(k);
            } catch (LinkageError | UnsupportedOperationException e) {
                LOG.info("GF(2^8) Vector API tier off: {}", e.toString());
                return Optional.empty();
            }
        }

        private static GfKernel pickBest() {
            Optional<GfKernel> nativeGf = KernelProviders.nativeProvider().flatMap(KernelProvider::gf);
            GfKernel best = nativeGf.or(() -> VECTOR).orElse(SCALAR);
            LOG.debug("GF(2^8) kernel: {}", best.name());
            return best;
        }

        /** A quick self-test on a few hundred bytes, so a broken incubator build cannot corrupt data silently. */
        private static boolean agreesWithScalar(GfKernel k) {
            SplittableRandom random = new SplittableRandom(0x11B);
            byte[] src = new byte[301];
            random.nextBytes(src);
            for (int c : new int[] {1, 2, 0x53, 0xCA, 0xFF}) {
                byte[] expected = new byte[src.length];
                byte[] actual = new byte[src.length];
                SCALAR.mul(c, src, 0, expected, 0, src.length);
                k.mul(c, src, 0, actual, 0, src.length);
                if (!Arrays.equals(expected, actual)) {
                    return false;
                }
            }
            return true;
        }
    }
}
