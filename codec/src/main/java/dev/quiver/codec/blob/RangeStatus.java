package dev.quiver.codec.blob;

/** The first byte of a range response. Wire codes never change once released. */
public enum RangeStatus {
    /** The length and the verified items follow. */
    OK(0),
    /** The provider does not have the blob; nothing follows. */
    NOT_FOUND(1),
    /** The blob's length follows (unverified), and the requested start group lies past its end. */
    RANGE_NOT_SATISFIABLE(2);

    private final int code;

    RangeStatus(int code) {
        this.code = code;
    }

    /** The wire byte. */
    public int code() {
        return code;
    }

    /** The status with wire byte {@code code}, or {@code null} if unknown. */
    static RangeStatus fromCode(int code) {
        for (RangeStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
