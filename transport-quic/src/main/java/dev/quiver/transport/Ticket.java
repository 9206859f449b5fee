package dev.quiver.transport;

import dev.quiver.transport.TicketFormatException.Reason;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What a user shares so another node can reach this one: the node ID (the security anchor: the handshake fails
 * unless the peer proves this key), its direct UDP addresses, optionally its relay, optionally a blob hash.
 *
 * <p>Binary form, version 1 (all integers big-endian):
 * <pre>
 *  0        1          3                 35      36          37
 * +--------+----------+-----------------+-------+-----------+---------------+---------+-----------+--------+
 * | ver=1  | length   | node ID (32)    | flags | addrCount | address * n   | [relay] | [blob 32] | crc32c |
 * |  u8    |  u16     |                 |  u8   |  u8 ≤ 16  |               |         |           |  u32   |
 * +--------+----------+-----------------+-------+-----------+---------------+---------+-----------+--------+
 * address = family u8 (4 | 6), IPv4 4 bytes | IPv6 16 bytes, port u16
 * relay   = node ID (32), address                 (present when flags bit 0 is set)
 * blob    = BLAKE3 hash of the blob (32 bytes)    (present when flags bit 1 is set)
 * flags bit 2: the blob is a collection manifest (only with bit 1); tickets without it name a raw blob, so
 *              tickets written before this bit existed parse unchanged
 * length  = total bytes including version, length and checksum; at most {@value #MAX_ENCODED_BYTES}
 * crc32c  = CRC32C of every byte before it
 * </pre>
 * The text form is {@value #PREFIX} followed by the binary form in lowercase base32 without padding.
 *
 * <p>The checksum is CRC32C because its only job is to catch typos and truncated copy-paste (it detects every
 * burst error up to 32 bits); it is not a security mechanism. Security comes from pinning the node ID in the TLS
 * handshake: a forged ticket can at worst point at addresses where nobody holds that node's key, and the
 * handshake then fails. IPv6 scope IDs are not carried (and are dropped when a ticket is made).
 */
public final class Ticket {
    /** Prefix of the printed form. */
    public static final String PREFIX = "qv";
    /** The binary format version this build writes and reads. */
    public static final int VERSION = 1;
    /** Cap on direct addresses, so a ticket stays short enough to paste and bounded to parse. */
    public static final int MAX_DIRECT_ADDRESSES = 16;
    /** Cap on the binary length: 16 IPv6 addresses, a relay and a blob hash fit with room to spare. */
    public static final int MAX_ENCODED_BYTES = 512;
    /** Length of the optional blob hash. */
    public static final int BLOB_HASH_BYTES = 32;

    private static final int FLAG_RELAY = 1;
    private static final int FLAG_BLOB = 2;
    private static final int FLAG_COLLECTION = 4;
    private static final int HEADER_BYTES = 3;
    private static final int CHECKSUM_BYTES = 4;

    private final NodeId nodeId;
    private final List<InetSocketAddress> directAddresses;
    private final Optional<RelayAddress> relay;
    private final byte[] blobHash;
    private final BlobFormat blobFormat;

    /** What the ticket's blob hash names. */
    public enum BlobFormat {
        /** The bytes of one blob (a single file's content, without a name). */
        RAW,
        /** A collection manifest: files with relative paths, sizes, hashes and modes. */
        COLLECTION
    }

    private Ticket(NodeId nodeId, List<InetSocketAddress> directAddresses, Optional<RelayAddress> relay,
                   byte[] blobHash, BlobFormat blobFormat) {
        this.nodeId = nodeId;
        this.directAddresses = directAddresses;
        this.relay = relay;
        this.blobHash = blobHash;
        this.blobFormat = blobHash == null ? null : blobFormat;
    }

    /**
     * A ticket for {@code nodeId}.
     *
     * @param directAddresses resolved addresses, at most {@link #MAX_DIRECT_ADDRESSES}
     * @param relay           the node's relay, if it has one
     * @param blobHash        a 32-byte blob hash, if the ticket names a blob
     */
    public static Ticket of(NodeId nodeId, List<InetSocketAddress> directAddresses, Optional<RelayAddress> relay,
                            Optional<byte[]> blobHash) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (directAddresses.size() > MAX_DIRECT_ADDRESSES) {
            throw new IllegalArgumentException("at most " + MAX_DIRECT_ADDRESSES + " direct addresses, got "
                    + directAddresses.size());
        }
        List<InetSocketAddress> addresses = new ArrayList<>(directAddresses.size());
        for (InetSocketAddress address : directAddresses) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("ticket addresses must be resolved: " + address);
            }
            addresses.add(withoutScope(address));
        }
        byte[] hash = blobHash.map(byte[]::clone).orElse(null);
        if (hash != null && hash.length != BLOB_HASH_BYTES) {
            throw new IllegalArgumentException("a blob hash is " + BLOB_HASH_BYTES + " bytes, got " + hash.length);
        }
        return new Ticket(nodeId, List.copyOf(addresses), Objects.requireNonNull(relay, "relay"), hash,
                BlobFormat.RAW);
    }

    /** This ticket naming {@code blobHash} (32 bytes) of format {@code format}: what {@code quiver send} prints. */
    public Ticket withBlob(byte[] blobHash, BlobFormat format) {
        Objects.requireNonNull(format, "format");
        if (blobHash.length != BLOB_HASH_BYTES) {
            throw new IllegalArgumentException("a blob hash is " + BLOB_HASH_BYTES + " bytes, got " + blobHash.length);
        }
        return new Ticket(nodeId, directAddresses, relay, blobHash.clone(), format);
    }

    /** A ticket with only a node ID and direct addresses. */
    public static Ticket of(NodeId nodeId, List<InetSocketAddress> directAddresses) {
        return of(nodeId, directAddresses, Optional.empty(), Optional.empty());
    }

    /** The node ID the dialer pins. */
    public NodeId nodeId() {
        return nodeId;
    }

    /** Direct UDP addresses, in the order the node listed them. */
    public List<InetSocketAddress> directAddresses() {
        return directAddresses;
    }

    /** The node's relay, if any. */
    public Optional<RelayAddress> relay() {
        return relay;
    }

    /** A copy of the blob hash, if the ticket names a blob. */
    public Optional<byte[]> blobHash() {
        return Optional.ofNullable(blobHash).map(byte[]::clone);
    }

    /** What the blob hash names, if the ticket names a blob. */
    public Optional<BlobFormat> blobFormat() {
        return Optional.ofNullable(blobFormat);
    }

    /** The binary form (see the class comment). */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(MAX_ENCODED_BYTES).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) VERSION).putShort((short) 0).put(nodeId.toBytes());
        out.put((byte) ((relay.isPresent() ? FLAG_RELAY : 0) | (blobHash != null ? FLAG_BLOB : 0)
                | (blobFormat == BlobFormat.COLLECTION ? FLAG_COLLECTION : 0)));
        out.put((byte) directAddresses.size());
        directAddresses.forEach(address -> putAddress(out, address));
        relay.ifPresent(r -> {
            out.put(r.nodeId().toBytes());
            putAddress(out, r.address());
        });
        if (blobHash != null) {
            out.put(blobHash);
        }
        int length = out.position() + CHECKSUM_BYTES;
        out.putShort(1, (short) length);
        out.putInt(crc32c(out.array(), out.position()));
        return Arrays.copyOf(out.array(), length);
    }

    /**
     * Parses the binary form.
     *
     * @throws TicketFormatException with the {@link Reason} of the first check that failed
     */
    public static Ticket fromBytes(byte[] bytes) throws TicketFormatException {
        if (bytes.length < HEADER_BYTES) {
            throw new TicketFormatException(Reason.TRUNCATED, "ticket is " + bytes.length
                    + " bytes, shorter than its " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new TicketFormatException(Reason.UNKNOWN_VERSION, "ticket version " + version
                    + " is not supported (this build reads version " + VERSION + "); is the sender newer?");
        }
        int declared = in.getShort() & 0xFFFF;
        if (declared > MAX_ENCODED_BYTES || declared < HEADER_BYTES + CHECKSUM_BYTES) {
            throw new TicketFormatException(Reason.BAD_LENGTH, "ticket declares " + declared
                    + " bytes; valid lengths are " + (HEADER_BYTES + CHECKSUM_BYTES) + ".." + MAX_ENCODED_BYTES);
        }
        if (bytes.length < declared) {
            throw new TicketFormatException(Reason.TRUNCATED, "ticket is truncated: " + bytes.length
                    + " of its " + declared + " bytes present; was it copied whole?");
        }
        if (bytes.length > declared) {
            throw new TicketFormatException(Reason.BAD_LENGTH, (bytes.length - declared)
                    + " unexpected bytes after the ticket's declared " + declared + " bytes");
        }
        int bodyEnd = declared - CHECKSUM_BYTES;
        int expected = ByteBuffer.wrap(bytes, bodyEnd, CHECKSUM_BYTES).getInt();
        int actual = crc32c(bytes, bodyEnd);
        if (expected != actual) {
            throw new TicketFormatException(Reason.WRONG_CHECKSUM, String.format(
                    "ticket checksum mismatch (stored %08x, computed %08x): the text was mistyped or damaged",
                    expected, actual));
        }
        return parseBody(in.limit(bodyEnd));
    }

    private static Ticket parseBody(ByteBuffer in) throws TicketFormatException {
        NodeId node = NodeId.of(take(in, NodeId.LENGTH_BYTES, "node ID"));
        int flags = take(in, 1, "flags")[0] & 0xFF;
        if ((flags & ~(FLAG_RELAY | FLAG_BLOB | FLAG_COLLECTION)) != 0) {
            throw new TicketFormatException(Reason.BAD_FIELD, String.format("unknown ticket flags 0x%02x", flags));
        }
        if ((flags & FLAG_COLLECTION) != 0 && (flags & FLAG_BLOB) == 0) {
            throw new TicketFormatException(Reason.BAD_FIELD, "ticket marks a collection but names no blob hash");
        }
        int count = take(in, 1, "address count")[0] & 0xFF;
        if (count > MAX_DIRECT_ADDRESSES) {
            throw new TicketFormatException(Reason.TOO_MANY_ADDRESSES, "ticket lists " + count
                    + " direct addresses; at most " + MAX_DIRECT_ADDRESSES + " are allowed");
        }
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(takeAddress(in));
        }
        Optional<RelayAddress> relay = Optional.empty();
        if ((flags & FLAG_RELAY) != 0) {
            NodeId relayId = NodeId.of(take(in, NodeId.LENGTH_BYTES, "relay node ID"));
            relay = Optional.of(new RelayAddress(relayId, takeAddress(in)));
        }
        byte[] blob = (flags & FLAG_BLOB) != 0 ? take(in, BLOB_HASH_BYTES, "blob hash") : null;
        if (in.hasRemaining()) {
            throw new TicketFormatException(Reason.BAD_LENGTH, in.remaining()
                    + " bytes left over after the last ticket field");
        }
        return new Ticket(node, List.copyOf(addresses), relay, blob,
                (flags & FLAG_COLLECTION) != 0 ? BlobFormat.COLLECTION : BlobFormat.RAW);
    }

    /** The printed form: {@value #PREFIX} + lowercase base32 of {@link #toBytes()}. */
    @Override
    public String toString() {
        return PREFIX + Base32.encode(toBytes());
    }

    /**
     * Parses the printed form. Surrounding whitespace is ignored and upper case accepted.
     *
     * @throws TicketFormatException with the {@link Reason} of the first check that failed
     */
    public static Ticket parse(String text) throws TicketFormatException {
        String trimmed = text.strip();
        if (!trimmed.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            String start = trimmed.substring(0, Math.min(trimmed.length(), 8));
            throw new TicketFormatException(Reason.BAD_PREFIX, "a ticket starts with '" + PREFIX + "'; got '"
                    + start + "'");
        }
        int bodyChars = trimmed.length() - PREFIX.length();
        // Cap before decoding: the text length bounds the allocation.
        if (bodyChars > Base32.encodedLength(MAX_ENCODED_BYTES)) {
            throw new TicketFormatException(Reason.BAD_LENGTH, "ticket text is " + trimmed.length()
                    + " characters, longer than any valid ticket");
        }
        byte[] bytes = Base32.decode(trimmed.substring(PREFIX.length()));
        if (bytes == null) {
            throw new TicketFormatException(Reason.BAD_ENCODING, "ticket text is not valid base32 "
                    + "(letters a-z and digits 2-7 only); check for typos or a missing character");
        }
        return fromBytes(bytes);
    }

    /** The wire form has no IPv6 scope ID, so the in-memory form drops it too (equal before and after printing). */
    private static InetSocketAddress withoutScope(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            try {
                return new InetSocketAddress(Inet6Address.getByAddress(null, v6.getAddress(), -1), address.getPort());
            } catch (UnknownHostException e) {
                throw new AssertionError("a 16-byte address is always valid", e);
            }
        }
        return address;
    }

    private static void putAddress(ByteBuffer out, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        out.put((byte) (ip instanceof Inet4Address ? 4 : 6));
        out.put(ip.getAddress());
        out.putShort((short) address.getPort());
    }

    private static InetSocketAddress takeAddress(ByteBuffer in) throws TicketFormatException {
        int family = take(in, 1, "address family")[0];
        int length = switch (family) {
            case 4 -> 4;
            case 6 -> 16;
            default -> throw new TicketFormatException(Reason.BAD_FIELD, "unknown address family " + family
                    + " (expected 4 or 6)");
        };
        byte[] ip = take(in, length, "IPv" + family + " address");
        int port = ByteBuffer.wrap(take(in, 2, "port")).getShort() & 0xFFFF;
        try {
            InetAddress address = family == 4 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, -1);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
    }

    private static byte[] take(ByteBuffer in, int length, String field) throws TicketFormatException {
        if (in.remaining() < length) {
            throw new TicketFormatException(Reason.TRUNCATED, "ticket ends inside its " + field);
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private static int crc32c(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ticket t && nodeId.equals(t.nodeId) && directAddresses.equals(t.directAddresses)
                && relay.equals(t.relay) && Arrays.equals(blobHash, t.blobHash) && blobFormat == t.blobFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, directAddresses, relay, Arrays.hashCode(blobHash), blobFormat);
    }
}
