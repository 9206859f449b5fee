package dev.quiver.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers of a {@link BurstReader}'s stream: {@value #BUFFER_BYTES} bytes, read back to back while each
 * comes back full, that is until quiche has no more contiguous data for the stream. Netty's default handle stops
 * after one buffer when auto-read is off, and a stream whose data stayed in quiche with no packet to follow would
 * never be read again (the peer waits for credit that only reading gives).
 */
@SuppressWarnings("deprecation") // Handle is the type Netty's stream channel asks its allocator for
final class DrainingRecvAllocator implements RecvByteBufAllocator {
    static final DrainingRecvAllocator INSTANCE = new DrainingRecvAllocator();
    /** Four loopback packets' worth: a burst's data in one or two reads. */
    static final int BUFFER_BYTES = 64 << 10;

    private DrainingRecvAllocator() {
    }

    @Override
    public Handle newHandle() {
        return new DrainHandle();
    }

    private static final class DrainHandle implements ExtendedHandle {
        private int attempted;
        private int last;

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(BUFFER_BYTES);
        }

        @Override
        public int guess() {
            return BUFFER_BYTES;
        }

        @Override
        public void reset(ChannelConfig config) {
            attempted = 0;
            last = 0;
        }

        @Override
        public void incMessagesRead(int numMessages) {
        }

        @Override
        public void lastBytesRead(int bytes) {
            last = bytes;
        }

        @Override
        public int lastBytesRead() {
            return last;
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            attempted = bytes;
        }

        @Override
        public int attemptedBytesRead() {
            return attempted;
        }

        @Override
        public boolean continueReading() {
            return last > 0 && last == attempted;
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return continueReading();
        }

        @Override
        public void readComplete() {
        }
    }
}
