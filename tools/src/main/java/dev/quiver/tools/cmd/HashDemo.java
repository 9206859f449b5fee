package dev.quiver.tools.cmd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.blake3.JavaBlake3Kernel;
import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code quiver demo --hash}: hashes one generated buffer with every BLAKE3 tier this CPU runs and with pure Java,
 * prints GB/s per tier, and checks that all tiers agree.
 */
final class HashDemo {
    private static final int PASSES = 2;
    private static final long WARM_UP_BYTES = 64L << 20;
    private static final long WARM_UP_NS = 1_500_000_000L;

    private HashDemo() {
    }

    /** Hashes a generated {@code mib} MiB buffer with every tier; returns the exit status. */
    static int run(int mib, PrintWriter out, PrintWriter err) {
        List<Blake3Kernel> kernels = new ArrayList<>(
                KernelProviders.nativeProvider().map(KernelProvider::blake3Tiers).orElse(List.of()));
        kernels.add(JavaBlake3Kernel.INSTANCE);
        int[] iv = Blake3Flags.iv();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate((long) mib << 20, 64);
            fillRandom(buffer);
            out.printf("BLAKE3 of a generated %d MiB buffer, one thread, warmed up, best of %d passes per tier%n", mib,
                    PASSES);
            byte[] reference = null;
            for (Blake3Kernel kernel : kernels) {
                byte[] digest = new byte[32];
                warmUp(kernel, iv, buffer);
                long bestNs = Long.MAX_VALUE;
                for (int pass = 0; pass < PASSES; pass++) {
                    long startNs = System.nanoTime();
                    kernel.hash(iv, 0, buffer, digest, 0, digest.length);
                    bestNs = Math.min(bestNs, System.nanoTime() - startNs);
                }
                double seconds = bestNs / 1e9;
                out.printf("  %-16s %7.2f GB/s  %s%n", kernel.name(), buffer.byteSize() / seconds / 1e9,
                        HexFormat.of().formatHex(digest));
                out.flush();
                if (reference == null) {
                    reference = digest;
                } else if (!Arrays.equals(reference, digest)) {
                    err.println("quiver demo: tier " + kernel.name()
                            + " disagrees with " + kernels.getFirst().name() + "; please report this bug");
                    return 1;
                }
            }
            out.println("all tiers agree");
        }
        return 0;
    }

    /**
     * Hashes the buffer's first 64 MiB for about a second before timing, so the JIT has compiled the Java tier (whose
     * Vector API path switches on only once compiled) and every tier is measured in its steady state.
     */
    private static void warmUp(Blake3Kernel kernel, int[] iv, MemorySegment buffer) {
        MemorySegment head = buffer.asSlice(0, Math.min(buffer.byteSize(), WARM_UP_BYTES));
        byte[] digest = new byte[32];
        long endNs = System.nanoTime() + WARM_UP_NS;
        while (System.nanoTime() < endNs) {
            kernel.hash(iv, 0, head, digest, 0, digest.length);
        }
    }

    private static void fillRandom(MemorySegment buffer) {
        SplittableRandom random = new SplittableRandom(2026);
        for (long offset = 0; offset < buffer.byteSize(); offset += Long.BYTES) {
            buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, random.nextLong());
        }
    }
}
