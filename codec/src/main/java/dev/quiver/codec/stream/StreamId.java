package dev.quiver.codec.stream;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;

/**
 * A logical stream ID: 64 bits whose bits say what the stream is (ARCHITECTURE.md, "Logical streams"). This class
 * alone owns the bit rules; nothing else does bit arithmetic on stream IDs.
 *
 * <pre>
 *  63 62 61 60 59 ........ 49 48 47 ............................ 0
 * +--+--+--+--+---------------+--+-------------------------------+
 * | 0| 0| 0| 0|   0 ... 0     | 1|  hash48(channel name)         |  CHANNEL
 * | 0| 0| 1| 0|   0 ... 0     | 0|  nonce (48 bits)              |  BLOB
 * | 0| 0| 0| 1|   0 ... 0     | 0|  nonce (48 bits)              |  RELAY
 * | 0 ......... 0 |  instance (32 bits)       |  service id 1..0xFFFF |  SUBPROTOCOL (bits 16-47: instance)
 * | 1  1  1  1  1 ................................................ 1|  CONTROL (0xFFFF_FFFF_FFFF_FFFF)
 * +--+--+--+--+---------------+--+-------------------------------+
 * </pre>
 *
 * <p>The rules are total and disjoint: every 64-bit value is exactly one kind, or invalid. Beyond the table of
 * ARCHITECTURE.md we make these choices so that no two kinds can ever alias and garbage is caught early:
 * <ul>
 *   <li>All bits that carry no meaning for a kind must be zero: bits 49-59, 62 and 63 are reserved and make a
 *       value invalid (except in CONTROL, which is all ones). So CHANNEL ("bit 48 set") never overlaps CONTROL
 *       (which also has bit 48 set), and a channel ID never has bit 60 or 61 set.</li>
 *   <li>Bits 60 and 61 both set is invalid; bit 48 together with bit 60 or 61 is invalid.</li>
 *   <li>An untagged value (none of bits 48-63) is a SUBPROTOCOL stream: service ID in bits 0-15, an instance
 *       number in bits 16-47, so one session can hold any number of streams of one service at once and never
 *       confuses a new one with an earlier one that is still closing. Service ID 0 is invalid, whatever the
 *       instance.</li>
 *   <li>Zero is invalid: service ID 0 is reserved so that an all-zero header, the most common garbage, is
 *       refused instead of being taken for a service.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class StreamId implements Comparable<StreamId> {

    /** Bit 48: channel tag. */
    private static final long CHANNEL_BIT = 1L << 48;
    /** Bit 60: relay tag. */
    private static final long RELAY_BIT = 1L << 60;
    /** Bit 61: blob tag. */
    private static final long BLOB_BIT = 1L << 61;
    /** The low 48 bits: nonce or name hash. */
    public static final long NONCE_MASK = (1L << 48) - 1;
    /** Largest nonce a blob or relay stream can carry. */
    public static final long MAX_NONCE = NONCE_MASK;
    /** Largest subprotocol service ID. */
    public static final int MAX_SUBPROTOCOL = 0xFFFF;
    /** Largest instance number of a subprotocol stream (bits 16-47). */
    public static final long MAX_SUBPROTOCOL_INSTANCE = 0xFFFF_FFFFL;
    /** The raw value of the control stream. */
    public static final long CONTROL_RAW = 0xFFFF_FFFF_FFFF_FFFFL;

    /** Well-known service: blob request (ARCHITECTURE.md). */
    public static final int BLOB_REQUEST = 0x1100;
    /** Well-known service: collection (directory manifest) request. */
    public static final int COLLECTION_REQUEST = 0x1101;
    /** Well-known service: relay reservation. */
    public static final int RELAY_RESERVE = 0x1200;
    /** Well-known service: relay circuit connect. */
    public static final int RELAY_CONNECT = 0x1201;

    private static final StreamId CONTROL = new StreamId(CONTROL_RAW, StreamKind.CONTROL);

    private final long raw;
    private final StreamKind kind;

    private StreamId(long raw, StreamKind kind) {
        this.raw = raw;
        this.kind = kind;
    }

    /**
     * The kind of {@code raw}, or {@code null} when the value breaks the rules; allocation-free, for hot paths
     * that want a status instead of an exception.
     */
    public static StreamKind classify(long raw) {
        if (raw == CONTROL_RAW) {
            return StreamKind.CONTROL;
        }
        long tag = raw & ~NONCE_MASK;
        if (tag == CHANNEL_BIT) {
            return StreamKind.CHANNEL;
        }
        if (tag == BLOB_BIT) {
            return StreamKind.BLOB;
        }
        if (tag == RELAY_BIT) {
            return StreamKind.RELAY;
        }
        if (tag == 0 && (raw & MAX_SUBPROTOCOL) != 0) {
            return StreamKind.SUBPROTOCOL;
        }
        return null;
    }

    /** The ID with raw value {@code raw}; STREAM_ID_INVALID when it breaks the rules (see class Javadoc). */
    public static StreamId of(long raw) throws ProtocolException {
        StreamKind kind = classify(raw);
        if (kind == null) {
            throw new ProtocolException(ProtocolError.STREAM_ID_INVALID,
                    String.format("stream ID 0x%016x matches no kind", raw));
        }
        return kind == StreamKind.CONTROL ? CONTROL : new StreamId(raw, kind);
    }

    /** The session's control stream. */
    public static StreamId control() {
        return CONTROL;
    }

    /** The channel stream for {@code name} (non-empty); see {@link ChannelNameHash} for the hash used. */
    public static StreamId channel(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("channel name must be non-empty");
        }
        return new StreamId(CHANNEL_BIT | ChannelNameHash.hash48(name), StreamKind.CHANNEL);
    }

    /** The blob transfer stream with {@code nonce} in [0, 2^48). */
    public static StreamId blob(long nonce) {
        return new StreamId(BLOB_BIT | checkNonce(nonce), StreamKind.BLOB);
    }

    /** The relay circuit stream with {@code nonce} in [0, 2^48). */
    public static StreamId relay(long nonce) {
        return new StreamId(RELAY_BIT | checkNonce(nonce), StreamKind.RELAY);
    }

    /** The stream of well-known service {@code id} in [1, 0xFFFF] with instance number 0. */
    public static StreamId subprotocol(int id) {
        return subprotocol(id, 0);
    }

    /**
     * Stream {@code instance} in [0, 2^32) of service {@code id} in [1, 0xFFFF]: a session numbers the streams it
     * opens of one service, so several can be open at once.
     */
    public static StreamId subprotocol(int id, long instance) {
        if (id <= 0 || id > MAX_SUBPROTOCOL) {
            throw new IllegalArgumentException("subprotocol id must be in [1, 0xFFFF], got " + id);
        }
        if (instance < 0 || instance > MAX_SUBPROTOCOL_INSTANCE) {
            throw new IllegalArgumentException("subprotocol instance must be in [0, 2^32), got " + instance);
        }
        return new StreamId(instance << 16 | id, StreamKind.SUBPROTOCOL);
    }

    private static long checkNonce(long nonce) {
        if ((nonce & ~NONCE_MASK) != 0) {
            throw new IllegalArgumentException("nonce must be in [0, 2^48), got " + nonce);
        }
        return nonce;
    }

    /** The 64-bit value as sent on the wire (big-endian). */
    public long raw() {
        return raw;
    }

    /** What this stream carries. */
    public StreamKind kind() {
        return kind;
    }

    /**
     * The low 48 bits: the nonce of a BLOB or RELAY stream, the name hash of a CHANNEL stream.
     * {@link IllegalStateException} for CONTROL and SUBPROTOCOL, which have none.
     */
    public long nonce() {
        return switch (kind) {
            case CHANNEL, BLOB, RELAY -> raw & NONCE_MASK;
            case CONTROL, SUBPROTOCOL -> throw new IllegalStateException(kind + " stream has no nonce");
        };
    }

    /** The service ID of a SUBPROTOCOL stream; {@link IllegalStateException} for other kinds. */
    public int subprotocolId() {
        if (kind != StreamKind.SUBPROTOCOL) {
            throw new IllegalStateException(kind + " stream has no subprotocol id");
        }
        return (int) (raw & MAX_SUBPROTOCOL);
    }

    /** The instance number of a SUBPROTOCOL stream; {@link IllegalStateException} for other kinds. */
    public long subprotocolInstance() {
        if (kind != StreamKind.SUBPROTOCOL) {
            throw new IllegalStateException(kind + " stream has no subprotocol instance");
        }
        return raw >>> 16;
    }

    @Override
    public int compareTo(StreamId o) {
        return Long.compareUnsigned(raw, o.raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamId s && s.raw == raw;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(raw * 0x9E37_79B9_7F4A_7C15L);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONTROL -> "control";
            case SUBPROTOCOL -> raw <= MAX_SUBPROTOCOL ? String.format("subprotocol/0x%04x", raw)
                    : String.format("subprotocol/0x%04x#%d", raw & MAX_SUBPROTOCOL, raw >>> 16);
            case CHANNEL, BLOB, RELAY -> kind.name().toLowerCase(java.util.Locale.ROOT)
                    + String.format("/%012x", raw & NONCE_MASK);
        };
    }
}
