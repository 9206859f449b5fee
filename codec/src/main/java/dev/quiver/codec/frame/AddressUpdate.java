package dev.quiver.codec.frame;

import dev.quiver.codec.wire.ProtocolError;
import dev.quiver.codec.wire.ProtocolException;
import dev.quiver.codec.wire.Varint;
import dev.quiver.codec.wire.WireReader;
import dev.quiver.codec.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The sender's published address set changed: peers with an open session learn its relay and direct addresses
 * without a new ticket (so, for example, a relayed session can try a direct address the node proved later). Sent
 * on the control stream; the sequence increases with every update and the receiver ignores older ones (updates
 * travel on several paths).
 *
 * <pre>
 * +-------------------+-------------+--------------------------------------------------------------+
 * | sequence (varint) | count (8)   | count x entry                                                |
 * +-------------------+-------------+--------------------------------------------------------------+
 * entry: | kind (8) | ip length (8): 4 or 16 | ip | port (16) | relay node ID (32 bytes, RELAY only) |
 * </pre>
 *
 * At most {@link #MAX_ENTRIES} entries (a relay and a ticket's 16 direct addresses), so the body never exceeds
 * {@link #MAX_BODY_LENGTH} bytes, which the decoder checks before reading.
 *
 * @param sequence increases with every update from one sender
 * @param entries  the whole set, in publishing order
 */
public record AddressUpdate(long sequence, List<Entry> entries) implements Frame {
    /** Most entries in one update: a relay and sixteen direct addresses. */
    public static final int MAX_ENTRIES = 17;
    /** Bytes of a relay's node ID. */
    public static final int NODE_ID_BYTES = 32;
    private static final int MAX_ENTRY_BYTES = 1 + 1 + 16 + 2 + NODE_ID_BYTES;
    static final int MAX_BODY_LENGTH = 8 + 1 + MAX_ENTRIES * MAX_ENTRY_BYTES;
    private static final Kind[] KINDS = Kind.values();

    /** What an address is to the sender. */
    public enum Kind {
        /** A relay holding a slot for the sender (with the relay's node ID). */
        RELAY,
        /** A direct address proven reachable (a peer reached the sender there). */
        DIRECT,
        /** A direct address not proven reachable (an interface address). */
        UNVERIFIED
    }

    /**
     * One address.
     *
     * @param kind        its kind
     * @param ip          4 or 16 bytes
     * @param port        UDP port, 0..65535
     * @param relayNodeId the relay's node ID ({@link #NODE_ID_BYTES} bytes) for {@link Kind#RELAY}, else empty
     */
    public record Entry(Kind kind, byte[] ip, int port, byte[] relayNodeId) {
        /** Validates and copies the arrays. */
        public Entry {
            if (kind == null || ip == null || relayNodeId == null) {
                throw new IllegalArgumentException("kind, ip and relayNodeId must be non-null");
            }
            if (ip.length != 4 && ip.length != 16) {
                throw new IllegalArgumentException("ip must be 4 or 16 bytes, got " + ip.length);
            }
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (relayNodeId.length != (kind == Kind.RELAY ? NODE_ID_BYTES : 0)) {
                throw new IllegalArgumentException("a " + kind + " entry needs a relay node ID of "
                        + (kind == Kind.RELAY ? NODE_ID_BYTES : 0) + " bytes, got " + relayNodeId.length);
            }
            ip = ip.clone();
            relayNodeId = relayNodeId.clone();
        }

        @Override
        public byte[] ip() {
            return ip.clone();
        }

        @Override
        public byte[] relayNodeId() {
            return relayNodeId.clone();
        }

        int length() {
            return 1 + 1 + ip.length + 2 + relayNodeId.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && kind == e.kind && port == e.port && Arrays.equals(ip, e.ip)
                    && Arrays.equals(relayNodeId, e.relayNodeId);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * kind.hashCode() + Arrays.hashCode(ip)) + port) + Arrays.hashCode(relayNodeId);
        }

        @Override
        public String toString() {
            return kind + " " + HexFormat.of().formatHex(ip) + ":" + port
                    + (relayNodeId.length > 0 ? " relay " + HexFormat.of().formatHex(relayNodeId) : "");
        }
    }

    /** Validates the fields and copies the list. */
    public AddressUpdate {
        FrameFields.checkVarint("sequence", sequence);
        if (entries == null || entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("entries must be non-null with at most " + MAX_ENTRIES + " entries");
        }
        entries = List.copyOf(entries);
    }

    @Override
    public int type() {
        return FrameType.ADDRESS_UPDATE;
    }

    @Override
    public int bodyLength() {
        int n = Varint.length(sequence) + 1;
        for (Entry e : entries) {
            n += e.length();
        }
        return n;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.writeVarint(sequence).writeU8(entries.size());
        for (Entry e : entries) {
            w.writeU8(e.kind().ordinal()).writeU8(e.ip.length).writeBytes(ByteBuffer.wrap(e.ip)).writeU16(e.port());
            if (e.relayNodeId.length > 0) {
                w.writeBytes(ByteBuffer.wrap(e.relayNodeId));
            }
        }
    }

    static AddressUpdate decodeBody(WireReader r) throws ProtocolException {
        long sequence = r.readVarint("address update sequence");
        int count = r.readU8("address count");
        if (count > MAX_ENTRIES) {
            throw new ProtocolException(ProtocolError.FRAME_ENCODING, "address update with " + count
                    + " entries, at most " + MAX_ENTRIES + " allowed");
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kindCode = r.readU8("address kind");
            if (kindCode >= KINDS.length) {
                throw new ProtocolException(ProtocolError.FRAME_ENCODING, "unknown address kind " + kindCode);
            }
            Kind kind = KINDS[kindCode];
            int ipLength = r.readU8("ip length");
            if (ipLength != 4 && ipLength != 16) {
                throw new ProtocolException(ProtocolError.FRAME_ENCODING, "ip length " + ipLength
                        + " (must be 4 or 16)");
            }
            byte[] ip = bytes(r, "ip", ipLength);
            int port = r.readU16("port");
            byte[] relay = kind == Kind.RELAY ? bytes(r, "relay node ID", NODE_ID_BYTES) : new byte[0];
            entries.add(new Entry(kind, ip, port, relay));
        }
        return new AddressUpdate(sequence, entries);
    }

    private static byte[] bytes(WireReader r, String field, int length) throws ProtocolException {
        ByteBuffer slice = r.readSlice(field, length);
        byte[] out = new byte[length];
        slice.get(out);
        return out;
    }
}
