package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.simd.ffm.quiver_h;
import dev.quiver.simd.load.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Entry point to Quiver's native SIMD kernels: whether they run here, which ISA tier they use, and the kernels
 * themselves. Availability works as Netty's {@code Quic}: {@link #isAvailable()}, {@link #ensureAvailability()},
 * {@link #unavailabilityCause()}. The library is loaded and the tier chosen once, when this class initialises; the
 * tier honours {@code -Dquiver.simd.isa} or {@code QUIVER_SIMD_ISA} when this CPU supports the tier asked for.
 */
public final class Simd {
    private static final Logger LOG = LoggerFactory.getLogger(Simd.class);

    private static final State STATE = State.load();

    private Simd() {
    }

    /**
     * What loading found. When {@code cause} is set, the lists are empty and the tiers null.
     *
     * @param supported tiers this CPU runs, widest first
     * @param blake3    one kernel per tier with BLAKE3 kernels of its own
     * @param gf        one kernel per tier with GF(2^8) kernels of its own
     */
    private record State(Throwable cause, List<Isa> supported, Isa best, Isa selected,
                         Map<Isa, NativeBlake3Kernel> blake3, Map<Isa, NativeGfKernel> gf) {

        static State load() {
            Optional<Throwable> cause = NativeLibrary.unavailabilityCause();
            if (cause.isPresent()) {
                return new State(cause.get(), List.of(), null, null, Map.of(), Map.of());
            }
            try {
                Isa best = tierOf(quiver_h.qv_init());
                List<Isa> supported = new ArrayList<>();
                for (Isa isa : Isa.values()) {
                    if (quiver_h.qv_tier_supported(isa.id()) == 1) {
                        supported.addFirst(isa);
                    }
                }
                IsaOverride choice = IsaOverride.resolve(System.getProperty(IsaOverride.PROPERTY),
                        System.getenv(IsaOverride.ENV), supported, best);
                choice.warning().ifPresent(w -> LOG.warn("Quiver SIMD tier override ignored: {}", w));
                NativeErrors.check(quiver_h.qv_select_isa(choice.chosen().id()), "qv_select_isa");
                Map<Isa, NativeBlake3Kernel> kernels = new EnumMap<>(Isa.class);
                Map<Isa, NativeGfKernel> gfKernels = new EnumMap<>(Isa.class);
                for (Isa isa : supported) {
                    if (isa.hasOwnBlake3()) {
                        kernels.put(isa, new NativeBlake3Kernel(isa));
                    }
                    if (isa.hasOwnGf()) {
                        gfKernels.put(isa, new NativeGfKernel(isa));
                    }
                }
                LOG.info("Quiver native kernels loaded: isa={} (supported: {})", choice.chosen().tierName(),
                        supported.stream().map(Isa::tierName).collect(Collectors.joining(", ")));
                return new State(null, List.copyOf(supported), best, choice.chosen(), Map.copyOf(kernels),
                        Map.copyOf(gfKernels));
            } catch (RuntimeException | LinkageError e) {
                return new State(e, List.of(), null, null, Map.of(), Map.of());
            }
        }

        private static Isa tierOf(int id) {
            for (Isa isa : Isa.values()) {
                if (isa.id() == id) {
                    return isa;
                }
            }
            throw new IllegalStateException("the native library reports unknown tier " + id);
        }
    }

    /** Whether the native kernels run in this JVM. */
    public static boolean isAvailable() {
        return STATE.cause() == null;
    }

    /** Throws {@link UnsatisfiedLinkError} (with the cause) when the native kernels do not run in this JVM. */
    public static void ensureAvailability() {
        if (STATE.cause() != null) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("Quiver's native kernels are unavailable: "
                    + STATE.cause().getMessage());
            error.initCause(STATE.cause());
            throw error;
        }
    }

    /** Why the native kernels do not run here (the message says what to do), or empty when they do. */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(STATE.cause());
    }

    /** The selected tier's name as the C library reports it ({@code qv_isa_name()}), such as {@code avx2}. */
    public static String isaName() {
        ensureAvailability();
        return quiver_h.qv_isa_name().getString(0);
    }

    /** The selected tier: the best this CPU runs, or the one forced by the override. */
    public static Isa isa() {
        ensureAvailability();
        return STATE.selected();
    }

    /** The best tier this CPU runs. */
    public static Isa bestIsa() {
        ensureAvailability();
        return STATE.best();
    }

    /** Every tier this CPU runs, widest first; empty when unavailable. */
    public static List<Isa> supportedTiers() {
        return STATE.supported();
    }

    /** The BLAKE3 kernel of the selected tier (GFNI selects AVX-512's), or empty when unavailable. */
    public static Optional<Blake3Kernel> blake3() {
        if (STATE.cause() != null) {
            return Optional.empty();
        }
        Isa isa = STATE.selected() == Isa.GFNI ? Isa.AVX512 : STATE.selected();
        return Optional.of(STATE.blake3().get(isa));
    }

    /** The BLAKE3 kernel of {@code tier}, or empty when this CPU lacks it or the library is unavailable. */
    public static Optional<Blake3Kernel> blake3(Isa tier) {
        return Optional.ofNullable(STATE.blake3().get(tier));
    }

    /** One BLAKE3 kernel per tier this CPU runs, widest first. */
    public static List<Blake3Kernel> blake3Tiers() {
        List<Blake3Kernel> kernels = new ArrayList<>();
        for (Isa isa : STATE.supported()) {
            NativeBlake3Kernel kernel = STATE.blake3().get(isa);
            if (kernel != null) {
                kernels.add(kernel);
            }
        }
        return List.copyOf(kernels);
    }

    /** The GF(2^8) kernel of the selected tier (SSE4.1 selects the portable one), or empty when unavailable. */
    public static Optional<GfKernel> gf() {
        if (STATE.cause() != null) {
            return Optional.empty();
        }
        Isa isa = STATE.selected().hasOwnGf() ? STATE.selected() : Isa.PORTABLE;
        return Optional.of(STATE.gf().get(isa));
    }

    /** The GF(2^8) kernel of {@code tier}, or empty when this CPU lacks it or the library is unavailable. */
    public static Optional<GfKernel> gf(Isa tier) {
        return Optional.ofNullable(STATE.gf().get(tier));
    }

    /** One GF(2^8) kernel per tier this CPU runs, widest first. */
    public static List<GfKernel> gfTiers() {
        List<GfKernel> kernels = new ArrayList<>();
        for (Isa isa : STATE.supported()) {
            NativeGfKernel kernel = STATE.gf().get(isa);
            if (kernel != null) {
                kernels.add(kernel);
            }
        }
        return List.copyOf(kernels);
    }
}
