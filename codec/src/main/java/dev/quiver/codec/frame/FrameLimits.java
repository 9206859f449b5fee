package dev.quiver.codec.frame;

/**
 * Caps on every variable length a frame can carry. The decoder checks each length field against these BEFORE it
 * allocates or waits for the bytes, so a peer cannot make us buffer or allocate more than the caps.
 *
 * @param maxPayloadBytes largest {@link StreamData} payload, in [1, {@link #HARD_MAX_PAYLOAD}]
 * @param maxAckRanges largest range count in one {@link AckRanges}, in [1, 4096]
 * @param maxReasonBytes largest UTF-8 reason in a {@link Close}, in [0, 65535]
 * @param maxSettings largest entry count in one {@link Settings}, in [1, 256]
 */
public record FrameLimits(int maxPayloadBytes, int maxAckRanges, int maxReasonBytes, int maxSettings) {

    /** Upper bound for {@code maxPayloadBytes}: 16 MiB. */
    public static final int HARD_MAX_PAYLOAD = 16 << 20;

    /** Defaults: 256 KiB payloads, 256 ack ranges, 1 KiB reasons, 64 settings. */
    public static final FrameLimits DEFAULT = new FrameLimits(256 << 10, 256, 1024, 64);

    /** Validates the ranges above. */
    public FrameLimits {
        check("maxPayloadBytes", maxPayloadBytes, 1, HARD_MAX_PAYLOAD);
        check("maxAckRanges", maxAckRanges, 1, 4096);
        check("maxReasonBytes", maxReasonBytes, 0, 65535);
        check("maxSettings", maxSettings, 1, 256);
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }
}
