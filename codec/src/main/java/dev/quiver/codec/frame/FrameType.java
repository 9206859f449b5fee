package dev.quiver.codec.frame;

/** Wire type codes of the frames. 0x00 is reserved so that zero-filled garbage is refused. */
public final class FrameType {

    /** {@link Ping}. */
    public static final int PING = 0x01;
    /** {@link Pong}. */
    public static final int PONG = 0x02;
    /** {@link Close}. */
    public static final int CLOSE = 0x03;
    /** {@link Settings}. */
    public static final int SETTINGS = 0x04;
    /** {@link StreamOpen}. */
    public static final int STREAM_OPEN = 0x05;
    /** {@link StreamData} without FIN. */
    public static final int STREAM_DATA = 0x06;
    /** {@link StreamData} with FIN: the type carries the flag, as in RFC 9000 §19.8. */
    public static final int STREAM_DATA_FIN = 0x07;
    /** {@link AckRanges}. */
    public static final int ACK_RANGES = 0x08;
    /** {@link MaxStreamData}. */
    public static final int MAX_STREAM_DATA = 0x09;
    /** {@link StreamReset}. */
    public static final int STREAM_RESET = 0x0A;
    /** {@link StopSending}. */
    public static final int STOP_SENDING = 0x0B;
    /** {@link PathStatus}. */
    public static final int PATH_STATUS = 0x0C;
    /** {@link AddressUpdate}. */
    public static final int ADDRESS_UPDATE = 0x0D;
    /**
     * {@link StreamData} without FIN whose sender had more of the stream queued within credit when it ended the
     * frame ({@link StreamData#more()}): the next frame follows without waiting for the application.
     */
    public static final int STREAM_DATA_MORE = 0x0E;

    private FrameType() {
    }
}
