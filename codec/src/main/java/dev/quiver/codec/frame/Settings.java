package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

/**
 * The first frame each side sends on the control stream: the limits it applies as a receiver. Why: a sender may
 * start a new logical stream without a round trip only if it already knows the initial credit the receiver grants.
 *
 * <pre>
 * +----------------+---------------------------------------------+
 * | count (varint) | count x ( setting id (varint) | value (varint) ) |
 * +----------------+---------------------------------------------+
 * </pre>
 *
 * Unknown setting IDs are skipped (a newer peer may send more); a known ID given twice is FRAME_ENCODING.
 *
 * @param initialStreamCreditBytes credit every new logical stream starts with, as a receiver (id 0x01)
 * @param maxPayloadBytes largest StreamData payload this side accepts (id 0x02)
 */
public record Settings(long initialStreamCreditBytes, long maxPayloadBytes) implements Frame {

    /** Setting ID of {@link #initialStreamCreditBytes}. */
    public static final int ID_INITIAL_STREAM_CREDIT = 0x01;
    /** Setting ID of {@link #maxPayloadBytes}. */
    public static final int ID_MAX_PAYLOAD = 0x02;

    /** Validates both values as varints; a payload cap of at least 1. */
    public Settings {
        FrameFields.checkVarint("initialStreamCreditBytes", initialStreamCreditBytes);
        FrameFields.checkVarint("maxPayloadBytes", maxPayloadBytes);
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1");
        }
    }

    @Override
    public int type() {
        return FrameType.SETTINGS;
    }

    @Override
    public int bodyLength() {
        return 1 + 1 + Varint.length(initialStreamCreditBytes) + 1 + Varint.length(maxPayloadBytes);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeVarint(2)
                .writeVarint(ID_INITIAL_STREAM_CREDIT).writeVarint(initialStreamCreditBytes)
                .writeVarint(ID_MAX_PAYLOAD).writeVarint(maxPayloadBytes);
    }

    static int maxBodyLength(FrameLimits limits) {
        return 2 + limits.maxSettings() * 16;
    }

    static Settings decodeBody(WireReader r, FrameLimits limits) throws ProtocolException {
        int count = (int) r.readVarint("settings count", limits.maxSettings(), ProtocolError.FRAME_TOO_LARGE);
        long credit = -1;
        long payload = -1;
        for (int i = 0; i < count; i++) {
            long id = r.readVarint("setting id");
            long value = r.readVarint("setting value");
            if (id == ID_INITIAL_STREAM_CREDIT) {
                credit = once(credit, value, "initial stream credit");
            } else if (id == ID_MAX_PAYLOAD) {
                payload = once(payload, value, "max payload");
            }
        }
        if (credit < 0 || payload < 1) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "settings must carry initial stream credit and a max payload >= 1");
        }
        return new Settings(credit, payload);
    }

    private static long once(long previous, long value, String name) throws ProtocolException {
        if (previous >= 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "setting " + name + " given twice");
        }
        return value;
    }
}
