package dev.quiver.simd;

import dev.quiver.simd.ffm.quiver_h;

/** Maps {@code quiver.h} return codes to exceptions: the one place that does (STYLE.md, section 6). */
final class NativeErrors {

    private NativeErrors() {
    }

    /** Returns normally for {@code QV_OK}; otherwise throws what {@code code} means for call {@code what}. */
    static void check(int code, String what) {
        switch (code) {
            case quiver_h.QV_OK -> {
            }
            case quiver_h.QV_ERR_TIER -> throw new IllegalStateException(what + ": the native library refused the "
                    + "tier (not supported by this CPU or compiled out)");
            // Java checks every argument first, so reaching this means the checks and quiver.h disagree.
            case quiver_h.QV_ERR_ARGUMENT -> throw new IllegalArgumentException(what + ": the native library "
                    + "refused an argument that passed the Java checks");
            default -> throw new IllegalStateException(what + ": unknown native return code " + code);
        }
    }
}
