package dev.quiver.transport;

/** A ticket's text or bytes could not be parsed; {@link #reason()} says which check failed. */
public final class TicketFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which check a ticket failed. */
    public enum Reason {
        /** The text does not start with the ticket prefix. */
        BAD_PREFIX,
        /** The text holds characters outside lowercase base32, or its length cannot be base32. */
        BAD_ENCODING,
        /** The ticket ends before its declared length or before a field it declares. */
        TRUNCATED,
        /** The declared length exceeds the cap, or bytes follow the declared end. */
        BAD_LENGTH,
        /** The version byte is not one this build understands. */
        UNKNOWN_VERSION,
        /** The CRC32C does not match: a typo or a copy-paste accident. */
        WRONG_CHECKSUM,
        /** More direct addresses than {@link Ticket#MAX_DIRECT_ADDRESSES}. */
        TOO_MANY_ADDRESSES,
        /** An address family other than IPv4 or IPv6, or flags this version does not define. */
        BAD_FIELD
    }

    private final Reason reason;

    /** A parse failure for {@code reason}, with a message saying what was found. */
    public TicketFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Which check failed. */
    public Reason reason() {
        return reason;
    }
}
