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
 * <p>Every path (QUIC connection) of a session starts its control stream with Settings. The dialer names the
 * session with a random token: on a path that opens a session ({@code join} false) the acceptor files the session
 * under (peer node ID, token); on a later path ({@code join} true) the acceptor adds the connection to that session
 * as another path, or closes it when it does not know the token. The token is no secret: the peer's node ID is
 * proven by TLS, the token only tells that peer's sessions apart.
 *
 * @param initialStreamCreditBytes credit every new logical stream starts with, as a receiver (id 0x01)
 * @param maxPayloadBytes largest StreamData payload this side accepts (id 0x02)
 * @param sessionToken the dialer's session token, 0 for none (id 0x03, sent only when non-zero)
 * @param join true when this connection joins the session named by the token instead of opening it (id 0x04,
 *             value 1, sent only when true)
 */
public record Settings(long initialStreamCreditBytes, long maxPayloadBytes, long sessionToken, boolean join)
        implements Frame {

    /** Setting ID of {@link #initialStreamCreditBytes}. */
    public static final int ID_INITIAL_STREAM_CREDIT = 0x01;
    /** Setting ID of {@link #maxPayloadBytes}. */
    public static final int ID_MAX_PAYLOAD = 0x02;
    /** Setting ID of {@link #sessionToken}. */
    public static final int ID_SESSION_TOKEN = 0x03;
    /** Setting ID of {@link #join}. */
    public static final int ID_JOIN = 0x04;

    /** Validates the values as varints; a payload cap of at least 1; joining needs a token. */
    public Settings {
        FrameFields.checkVarint("initialStreamCreditBytes", initialStreamCreditBytes);
        FrameFields.checkVarint("maxPayloadBytes", maxPayloadBytes);
        FrameFields.checkVarint("sessionToken", sessionToken);
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1");
        }
        if (join && sessionToken == 0) {
            throw new IllegalArgumentException("join needs a session token");
        }
    }

    /** Settings without a session token (an acceptor's, or a peer that does not resume). */
    public Settings(long initialStreamCreditBytes, long maxPayloadBytes) {
        this(initialStreamCreditBytes, maxPayloadBytes, 0, false);
    }

    private int count() {
        return 2 + (sessionToken != 0 ? 1 : 0) + (join ? 1 : 0);
    }

    @Override
    public int type() {
        return FrameType.SETTINGS;
    }

    @Override
    public int bodyLength() {
        return 1 + 1 + Varint.length(initialStreamCreditBytes) + 1 + Varint.length(maxPayloadBytes)
                + (sessionToken != 0 ? 1 + Varint.length(sessionToken) : 0) + (join ? 2 : 0);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeVarint(count())
                .writeVarint(ID_INITIAL_STREAM_CREDIT).writeVarint(initialStreamCreditBytes)
                .writeVarint(ID_MAX_PAYLOAD).writeVarint(maxPayloadBytes);
        if (sessionToken != 0) {
            w.writeVarint(ID_SESSION_TOKEN).writeVarint(sessionToken);
        }
        if (join) {
            w.writeVarint(ID_JOIN).writeVarint(1);
        }
    }

    static int maxBodyLength(FrameLimits limits) {
        return 2 + limits.maxSettings() * 16;
    }

    static Settings decodeBody(WireReader r, FrameLimits limits) throws ProtocolException {
        int count = (int) r.readVarint("settings count", limits.maxSettings(), ProtocolError.FRAME_TOO_LARGE);
        long credit = -1;
        long payload = -1;
        long token = -1;
        long join = -1;
        for (int i = 0; i < count; i++) {
            long id = r.readVarint("setting id");
            long value = r.readVarint("setting value");
            if (id == ID_INITIAL_STREAM_CREDIT) {
                credit = once(credit, value, "initial stream credit");
            } else if (id == ID_MAX_PAYLOAD) {
                payload = once(payload, value, "max payload");
            } else if (id == ID_SESSION_TOKEN) {
                token = once(token, value, "session token");
            } else if (id == ID_JOIN) {
                join = once(join, value, "join");
            }
        }
        if (credit < 0 || payload < 1) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "settings must carry initial stream credit and a max payload >= 1");
        }
        if (join > 1 || (join == 1 && token <= 0)) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING,
                    "settings join must be 0 or 1 and needs a non-zero session token");
        }
        return new Settings(credit, payload, Math.max(0, token), join == 1);
    }

    private static long once(long previous, long value, String name) throws ProtocolException {
        if (previous >= 0) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "setting " + name + " given twice");
        }
        return value;
    }
}
