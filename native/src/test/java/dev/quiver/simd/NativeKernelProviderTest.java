package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Kernel;
import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider is found through ServiceLoader and offers one kernel per tier this CPU runs. */
@Timeout(30)
class NativeKernelProviderTest {

    @Test
    void serviceLoaderFindsTheNativeProviderAndItWorksHere() {
        List<KernelProvider> providers = ServiceLoader.load(KernelProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, providers.size(), providers.toString());
        assertInstanceOf(NativeKernelProvider.class, providers.getFirst());
        assertTrue(Simd.isAvailable(), () -> Simd.unavailabilityCause().orElseThrow().getMessage());
        assertTrue(KernelProviders.nativeProvider().isPresent());
        System.out.println("native isa: " + Simd.isaName() + ", supported " + Simd.supportedTiers());
    }

    @Test
    void theDefaultKernelIsTheSelectedTierAndTiersAreWidestFirst() {
        KernelProvider provider = KernelProviders.nativeProvider().orElseThrow();
        assertEquals("native-" + Simd.isaName(), provider.blake3().orElseThrow().name());
        List<Blake3Kernel> tiers = provider.blake3Tiers();
        assertEquals("native-portable", tiers.getLast().name());
        for (int i = 1; i < tiers.size(); i++) {
            Isa wider = ((NativeBlake3Kernel) tiers.get(i - 1)).tier();
            Isa narrower = ((NativeBlake3Kernel) tiers.get(i)).tier();
            assertTrue(wider.id() > narrower.id(), tiers.toString());
        }
        assertEquals("native-" + (Simd.isa().hasOwnGf() ? Simd.isaName() : "portable"), provider.gf().orElseThrow().name());
        assertEquals("native-portable", provider.gfTiers().getLast().name());
        assertTrue(provider.unavailabilityCause().isEmpty());
    }

    @Test
    void theCpuTierIsOneOfTheSupportedAndTheLibraryAgrees() {
        assertTrue(Simd.supportedTiers().contains(Simd.bestIsa()));
        assertEquals(Simd.isa().tierName(), Simd.isaName());
        assertTrue(Simd.supportedTiers().contains(Isa.PORTABLE));
    }
}
