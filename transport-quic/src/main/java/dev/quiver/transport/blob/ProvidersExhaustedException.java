package dev.quiver.transport.blob;

import java.io.IOException;
import java.io.Serial;
import java.util.List;

/**
 * Every provider of a transfer was dropped (bad data, stalls, errors beyond the retry budget) before it finished.
 * The verified part is kept for a later run. {@link #providers()} says why each one was dropped.
 */
public final class ProvidersExhaustedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<ProviderStatus> providers;

    /** No provider is left; {@code providers} holds each one's final status. */
    public ProvidersExhaustedException(String what, List<ProviderStatus> providers) {
        super("no provider left for " + what + ": " + describe(providers));
        this.providers = List.copyOf(providers);
    }

    /** Each provider's final status, with the reason it was dropped. */
    public List<ProviderStatus> providers() {
        return providers;
    }

    private static String describe(List<ProviderStatus> providers) {
        StringBuilder sb = new StringBuilder();
        for (ProviderStatus p : providers) {
            sb.append(sb.isEmpty() ? "" : "; ").append(p.node().shortString()).append(' ').append(p.state())
                    .append(p.reason() == null ? "" : " (" + p.reason() + ")");
        }
        return sb.toString();
    }
}
