package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeEncoder;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import dev.quiver.codec.stream.StreamKind;
import dev.quiver.transport.QuiverNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only provider that speaks the blob protocol but cheats as told, on every request except the probe (so the
 * download gets going and the cheat is met by the workers): flips a byte in each group's data, announces a wrong
 * length, appends bytes nobody asked for, or stops sending halfway.
 */
final class Adversary {

    /** The cheats; {@link #SLOW} and {@link #RESET} are no cheats but a slow provider and a broken connection. */
    enum Mode { FLIP_BYTE, LIE_LENGTH, EXTRA_BYTES, STALL, SLOW, RESET }

    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    private Adversary() {
    }

    static Adversary start(QuiverNode node, BlobStore store, Mode mode, boolean cheatOnProbe) {
        Adversary a = new Adversary();
        node.handle(StreamKind.BLOB, (session, stream) -> {
            InputStream in = stream.inputStream();
            OutputStream out = stream.outputStream();
            for (int type = in.read(); type >= 0; type = in.read()) {
                if (type == BlobWire.COMPLETE) {
                    BlobWire.readComplete(in);
                    continue;
                }
                RangeRequest req = BlobWire.readRequest(in);
                a.requests.incrementAndGet();
                boolean cheat = cheatOnProbe || !req.proveLength();
                if (cheat && mode == Mode.RESET) {
                    stream.reset(BlobWire.RESET_ABANDONED);
                    return;
                }
                if (cheat && mode == Mode.SLOW) {
                    Thread.sleep(150);
                }
                byte[] response = respond(store, req, cheat ? mode : null);
                if (cheat && mode == Mode.STALL) {
                    out.write(response, 0, response.length / 2);
                    out.flush();
                    a.bytesSent.addAndGet(response.length / 2);
                    // Silent until the downloader gives up on us and resets the stream (the read then fails), so
                    // this handler ends while the node still runs.
                    in.readAllBytes();
                    return;
                }
                out.write(response);
                a.bytesSent.addAndGet(response.length);
                if (cheat && mode == Mode.EXTRA_BYTES) {
                    out.write(new byte[100]);
                    a.bytesSent.addAndGet(100);
                }
            }
            out.close();
        });
        return a;
    }

    private static byte[] respond(BlobStore store, RangeRequest req, Mode mode) throws IOException {
        try (RangeSource honest = store.open(req.hash())) {
            RangeSource src = mode == Mode.FLIP_BYTE ? flipping(honest) : honest;
            RangeEncoder enc = new RangeEncoder(src, req);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            boolean done = false;
            while (!done) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                done = enc.encode(b);
                bytes.write(chunk, 0, b.position());
            }
            byte[] r = bytes.toByteArray();
            if (mode == Mode.LIE_LENGTH) {
                lieAboutLength(r, honest.length());
            }
            return r;
        }
    }

    /** Rewrites the header's varint length (same width) to a different length, one group longer. */
    private static void lieAboutLength(byte[] r, long real) {
        int width = 1 << ((r[1] & 0xFF) >>> 6);
        long lie = real + 16384;
        for (int i = width - 1; i >= 0; i--) {
            r[1 + i] = (byte) (i == 0 ? ((r[1] & 0xC0) | (lie & 0x3F)) : lie);
            lie >>>= 8;
        }
    }

    private static RangeSource flipping(RangeSource honest) {
        return new RangeSource() {
            @Override
            public BlobHash hash() {
                return honest.hash();
            }

            @Override
            public long length() {
                return honest.length();
            }

            @Override
            public void readData(long offset, byte[] dst, int off, int len) throws IOException {
                honest.readData(offset, dst, off, len);
                if (len > 100) {
                    dst[off + 100] ^= 0x20;
                }
            }

            @Override
            public void readParent(long index, byte[] dst, int off) throws IOException {
                honest.readParent(index, dst, off);
            }

            @Override
            public void close() {
            }
        };
    }
}
