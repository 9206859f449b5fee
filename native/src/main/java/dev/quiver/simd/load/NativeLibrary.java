package dev.quiver.simd.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads {@code libquiver_linux_x86_64.so} from the class path once per JVM (in this class's static initialiser)
 * and keeps its symbols for the bindings in {@code dev.quiver.simd.ffm}. When it cannot (other OS or CPU
 * architecture, native access denied, library missing), {@link #unavailabilityCause()} says why and what to do,
 * and nothing native is ever called.
 */
public final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

    /** The library's base name, after Netty's per-platform naming ({@code netty_quiche42_linux_x86_64}). */
    public static final String NAME = "libquiver_linux_x86_64";
    /** Where the build puts the library inside the jar. */
    public static final String RESOURCE = "META-INF/native/linux-x86_64/" + NAME + ".so";
    /** The java option that grants native access to class-path code. */
    public static final String ENABLE_FLAG = "--enable-native-access=ALL-UNNAMED";

    private static final Loaded LOADED = load();

    private record Loaded(SymbolLookup lookup, NativeLoadException cause) {
    }

    private NativeLibrary() {
    }

    /** Why the library is not loaded, or empty when it is. */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(LOADED.cause());
    }

    /** The library's symbols; throws {@link IllegalStateException} (with the cause) when it is not loaded. */
    public static SymbolLookup lookup() {
        if (LOADED.cause() != null) {
            throw new IllegalStateException(LOADED.cause().getMessage(), LOADED.cause());
        }
        return LOADED.lookup();
    }

    private static Loaded load() {
        try {
            return new Loaded(loadLibrary(), null);
        } catch (NativeLoadException e) {
            return new Loaded(null, e);
        }
    }

    @SuppressWarnings("restricted") // the point of this class; IllegalCallerException is handled
    private static SymbolLookup loadLibrary() throws NativeLoadException {
        String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new NativeLoadException("Quiver's native kernels are built for linux-x86_64 only, and this is "
                    + os + "-" + arch);
        }
        Module module = NativeLibrary.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            // JDK 25 defaults to --illegal-native-access=warn: the load below still works but the JVM warns; with
            // =deny it throws IllegalCallerException, handled below.
            LOG.debug("Native access is not enabled for {}; add {} to the java command line", module, ENABLE_FLAG);
        }
        Path path = extract();
        try {
            return SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalCallerException e) {
            throw new NativeLoadException("native access is denied (" + e.getMessage()
                    + "); add " + ENABLE_FLAG + " to the java command line", e);
        } catch (IllegalArgumentException e) {
            throw new NativeLoadException("cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path extract() throws NativeLoadException {
        byte[] library;
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NativeLoadException(RESOURCE + " is missing from the class path; build the native module "
                        + "(mvn -pl native package) or put quiver-native's jar on the class path");
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            throw new NativeLoadException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        Path cacheDir = LibraryExtractor.defaultCacheDir();
        try {
            return LibraryExtractor.extract(library, NAME, cacheDir);
        } catch (IOException e) {
            throw new NativeLoadException("cannot write the native library to " + cacheDir + " or the temporary "
                    + "directory: " + e.getMessage() + "; set -Dquiver.native.cacheDir to a writable directory", e);
        }
    }
}
