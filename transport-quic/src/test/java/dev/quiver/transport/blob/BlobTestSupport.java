package dev.quiver.transport.blob;

import dev.quiver.codec.blob.GroupSink;
import dev.quiver.codec.blob.RangeEncoder;
import dev.quiver.codec.blob.RangeRequest;
import dev.quiver.codec.blob.RangeSource;
import dev.quiver.codec.blob.VerifiedRangeDecoder;

import java.nio.ByteBuffer;
import java.util.Random;

/** Serves a range from a store and feeds it to a decoder in random pieces, as the network would. */
final class BlobTestSupport {

    private BlobTestSupport() {
    }

    static byte[] random(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Streams the response to {@code request} from {@code source} into a decoder that feeds {@code sink}. */
    static VerifiedRangeDecoder transfer(RangeSource source, RangeRequest request, long knownLength, GroupSink sink,
                                         Random rnd) throws Exception {
        RangeEncoder enc = new RangeEncoder(source, request);
        VerifiedRangeDecoder dec = new VerifiedRangeDecoder(request, knownLength, sink);
        boolean done = false;
        while (!done) {
            ByteBuffer buf = ByteBuffer.allocate(9 + rnd.nextInt(50_000));
            done = enc.encode(buf);
            dec.feed(buf.flip());
        }
        dec.finish();
        return dec;
    }
}
