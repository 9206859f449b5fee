package dev.quiver.codec.rlnc;

import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How much payload arithmetic the decoder does, counted by a kernel wrapper (an extra unit test beside the real
 * decoding tests): dependent symbols must cost none, and a systematic arrival is copied, not multiplied.
 */
@Timeout(30)
class DecoderWorkTest {

    /** Delegates to the scalar tier and counts multiply-add bytes of calls over payloads (symbol-sized sources). */
    private static final class CountingKernel implements GfKernel {
        private final GfKernel delegate = GfKernels.scalar();
        private final int symbolSize;
        long payloadBytes;

        CountingKernel(int symbolSize) {
            this.symbolSize = symbolSize;
        }

        /** Counts a call whose sources are payloads (symbol-sized arrays), not k-byte coefficient rows. */
        private void count(long sourceLength, long len, long sources) {
            if (sourceLength >= symbolSize) {
                payloadBytes += len * Math.max(1, sources);
            }
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void mulAdd(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
            count(src.length, len, 1);
            delegate.mulAdd(c, src, srcOff, dst, dstOff, len);
        }

        @Override
        public void mul(int c, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
            count(src.length, len, 1);
            delegate.mul(c, src, srcOff, dst, dstOff, len);
        }

        @Override
        public void dotProduct(byte[] coeffs, int coeffOff, byte[][] srcs, int srcOff, int count, byte[] dst,
                               int dstOff, int len) {
            count(count == 0 ? 0 : srcs[0].length, len, count);
            delegate.dotProduct(coeffs, coeffOff, srcs, srcOff, count, dst, dstOff, len);
        }

        @Override
        public void matrixMultiply(byte[] coeffs, byte[][] srcs, int srcOff, int count, byte[][] dsts, int dstOff,
                                   int rows, int len) {
            count(count == 0 ? 0 : srcs[0].length, len, (long) count * rows);
            delegate.matrixMultiply(coeffs, srcs, srcOff, count, dsts, dstOff, rows, len);
        }

        @Override
        public void mulAdd(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
            count(src.byteSize(), len, 1);
            delegate.mulAdd(c, src, srcOff, dst, dstOff, len);
        }

        @Override
        public void mul(int c, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
            count(src.byteSize(), len, 1);
            delegate.mul(c, src, srcOff, dst, dstOff, len);
        }
    }

    @Test
    void dependentSymbolsCostNoPayloadWork() throws Exception {
        // k = 8 coefficient rows are 8 bytes; symbols are 4096, so only payload calls reach the counter.
        int k = 8;
        int s = 4096;
        SplittableRandom random = new SplittableRandom(30);
        byte[] data = new byte[k * s];
        random.nextBytes(data);
        GenerationInfo g = new GenerationInfo(4, k, s, data.length);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        RlncRecoder subspace = new RlncRecoder(g, GfKernels.scalar(), random.split());
        for (int i = 0; i < k - 1; i++) {
            subspace.add(encoder.coded(random.nextLong()));
        }
        CountingKernel counting = new CountingKernel(s);
        RlncDecoder decoder = new RlncDecoder(g, counting);
        for (int i = 0; i < 200; i++) {
            decoder.receive(subspace.recode());
        }
        assertEquals(k - 1, decoder.rank());
        assertEquals(0, counting.payloadBytes, "payload work before completion");
        decoder.receive(encoder.coded(random.nextLong()));
        assertArrayEquals(data, decoder.data());
        // Completion: one dot product over k payloads per source, at most.
        assertTrue(counting.payloadBytes <= (long) k * k * s, counting.payloadBytes + " bytes");
    }

    @Test
    void systematicArrivalsAreCopiedNotMultiplied() throws Exception {
        int k = 6;
        int s = 1000;
        SplittableRandom random = new SplittableRandom(31);
        byte[] data = new byte[k * s - 3];
        random.nextBytes(data);
        GenerationInfo g = GenerationInfo.forLength(8, data.length, s);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        CountingKernel counting = new CountingKernel(s);
        RlncDecoder decoder = new RlncDecoder(g, counting);
        for (int i = k - 1; i >= 0; i--) {
            decoder.receive(encoder.systematic(i));
        }
        assertArrayEquals(data, decoder.data());
        assertEquals(0, counting.payloadBytes);
        // Five systematic and one coded: only the missing source is computed (one dot product over k payloads).
        counting.payloadBytes = 0;
        RlncDecoder mixed = new RlncDecoder(g, counting);
        for (int i = 1; i < k; i++) {
            mixed.receive(encoder.systematic(i));
        }
        mixed.receive(encoder.coded(77));
        assertArrayEquals(data, mixed.data());
        assertEquals((long) k * s, counting.payloadBytes);
    }

    @Test
    void payloadsAnInverseRowDoesNotUseAreNotRead() throws Exception {
        int k = 5;
        int s = 3000;
        SplittableRandom random = new SplittableRandom(32);
        byte[] data = new byte[k * s];
        random.nextBytes(data);
        GenerationInfo g = new GenerationInfo(9, k, s, data.length);
        RlncEncoder encoder = new RlncEncoder(g, data, 0, GfKernels.scalar(), random.split());
        // 7·x_4 + 2·x_1 and four systematic sources: x_4 = 7^-1 · (that payload + 2·x_1), two payloads of five.
        byte[] coefficients = {0, 2, 0, 0, 7};
        byte[] payload = new byte[s];
        GfKernels.scalar().mul(7, encoder.systematic(4).payload(), 0, payload, 0, s);
        GfKernels.scalar().mulAdd(2, encoder.systematic(1).payload(), 0, payload, 0, s);
        CountingKernel counting = new CountingKernel(s);
        RlncDecoder decoder = new RlncDecoder(g, counting);
        for (int i = 0; i < k - 1; i++) {
            decoder.receive(encoder.systematic(i));
        }
        decoder.receive(CodedSymbol.explicit(g, coefficients, payload));
        assertArrayEquals(data, decoder.data());
        assertEquals(2L * s, counting.payloadBytes);
    }
}
