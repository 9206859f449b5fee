package dev.quiver.simd;

import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;

import java.util.ServiceLoader;

/**
 * Main class run in forked JVMs by {@link SimdForkedJvmTest}: prints what this JVM's native kernels look like, one
 * {@code key=value} per line, and hashes "abc" so a broken downcall would show.
 */
public final class SimdProbe {

    private SimdProbe() {
    }

    /** Prints available, isa, best, nativeProvider, blake3 and cause lines. */
    public static void main(String[] args) {
        System.out.println("available=" + Simd.isAvailable());
        System.out.println("nativeProvider=" + KernelProviders.nativeProvider().isPresent());
        for (KernelProvider provider : ServiceLoader.load(KernelProvider.class)) {
            System.out.println("provider=" + provider.getClass().getName());
            System.out.println("cause=" + provider.unavailabilityCause().map(Throwable::getMessage).orElse(""));
        }
        if (Simd.isAvailable()) {
            System.out.println("isa=" + Simd.isaName());
            System.out.println("best=" + Simd.bestIsa().tierName());
            byte[] out = new byte[32];
            byte[] abc = {'a', 'b', 'c'};
            Simd.blake3().orElseThrow().hash(dev.quiver.codec.blake3.Blake3Flags.iv(), 0, abc, 0, 3, out, 0, 32);
            System.out.println("blake3=" + Simd.blake3().orElseThrow().name() + " "
                    + java.util.HexFormat.of().formatHex(out));
        }
    }
}
