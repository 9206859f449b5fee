package dev.quiver.codec.blake3;

import dev.quiver.codec.testing.Blake3KernelConformance;
import dev.quiver.codec.testing.Blake3Vectors;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The facade against the official vectors, BouncyCastle and Apache Commons Codec. */
@Timeout(60)
class Blake3Test {
    private static final String CONTEXT = "quiver 2026-11-21 blake3 test context";

    /** Boundary lengths plus random sizes up to 1 MiB. */
    private static List<Integer> sizes(long seed, int randomCount) {
        Random random = new Random(seed);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 2049, 16385,
                (1 << 20) - 1, 1 << 20));
        for (int i = 0; i < randomCount; i++) {
            sizes.add(random.nextInt(1 << (1 + random.nextInt(20))) + 1);
        }
        return sizes;
    }

    private static byte[] bouncyCastle(Blake3Parameters params, byte[] in, int outLen) {
        Blake3Digest digest = new Blake3Digest();
        if (params != null) {
            digest.init(params);
        }
        digest.update(in, 0, in.length);
        byte[] out = new byte[outLen];
        digest.doFinal(out, 0, outLen);
        return out;
    }

    @Test
    void officialVectorsThroughTheFacade() {
        Blake3Vectors vectors = Blake3Vectors.load();
        for (Blake3Vectors.Case c : vectors.cases()) {
            byte[] in = c.input();
            int n = c.hash().length;
            byte[] out = new byte[n];
            Blake3.hash(in, 0, in.length, out, 0, n);
            assertArrayEquals(c.hash(), out, "hash " + in.length);
            assertArrayEquals(Arrays.copyOf(c.hash(), 32), Blake3.hash(in), "hash32 " + in.length);
            Blake3.keyedHash(vectors.key(), in, 0, in.length, out, 0, n);
            assertArrayEquals(c.keyedHash(), out, "keyed " + in.length);
            assertArrayEquals(c.deriveKey(), Blake3.deriveKey(vectors.context(), in, n), "derive " + in.length);
        }
    }

    @Test
    void plainHashMatchesBouncyCastleAndCommonsCodec() {
        Random random = new Random(1);
        for (int size : sizes(11, 40)) {
            byte[] in = new byte[size];
            random.nextBytes(in);
            byte[] ours = Blake3.hash(in);
            assertArrayEquals(bouncyCastle(null, in, 32), ours, "BouncyCastle, size " + size);
            assertArrayEquals(org.apache.commons.codec.digest.Blake3.hash(in), ours, "Commons Codec, size " + size);
        }
    }

    @Test
    void keyedHashMatchesBouncyCastleAndCommonsCodec() {
        Random random = new Random(2);
        for (int size : sizes(12, 20)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            byte[] in = new byte[size];
            random.nextBytes(in);
            byte[] ours = Blake3.keyedHash(key, in);
            assertArrayEquals(bouncyCastle(Blake3Parameters.key(key), in, 32), ours, "BouncyCastle, size " + size);
            assertArrayEquals(org.apache.commons.codec.digest.Blake3.keyedHash(key, in), ours,
                    "Commons Codec, size " + size);
        }
    }

    @Test
    void deriveKeyMatchesBouncyCastleAndCommonsCodec() {
        Random random = new Random(3);
        byte[] context = CONTEXT.getBytes(StandardCharsets.UTF_8);
        for (int size : sizes(13, 20)) {
            byte[] material = new byte[size];
            random.nextBytes(material);
            byte[] ours = Blake3.deriveKey(CONTEXT, material, 32);
            assertArrayEquals(bouncyCastle(Blake3Parameters.context(context), material, 32), ours,
                    "BouncyCastle, size " + size);
            byte[] commons = new byte[32];
            org.apache.commons.codec.digest.Blake3.initKeyDerivationFunction(context).update(material)
                    .doFinalize(commons);
            assertArrayEquals(commons, ours, "Commons Codec, size " + size);
        }
    }

    @Test
    void extendedOutputMatchesBouncyCastleAtOddLengthsAndOffsets() {
        Random random = new Random(4);
        for (int outLen : new int[] {0, 1, 31, 33, 63, 64, 65, 127, 1000, 4099}) {
            byte[] in = new byte[random.nextInt(5000)];
            random.nextBytes(in);
            byte[] out = new byte[outLen + 7];
            Blake3.hash(in, 0, in.length, out, 7, outLen);
            assertArrayEquals(bouncyCastle(null, in, outLen), Arrays.copyOfRange(out, 7, 7 + outLen),
                    "outLen " + outLen);
        }
    }

    @Test
    void segmentAndArrayAgree() {
        byte[] in = new byte[70_001];
        new Random(5).nextBytes(in);
        assertArrayEquals(Blake3.hash(in), Blake3.hash(java.lang.foreign.MemorySegment.ofArray(in)));
        byte[] a = new byte[100];
        byte[] b = new byte[100];
        Blake3.hash(in, 0, in.length, a, 0, 100);
        Blake3.hash(java.lang.foreign.MemorySegment.ofArray(in), b, 0, 100);
        assertArrayEquals(a, b);
    }

    @Test
    void kernelIsJavaWithoutTheNativeModule() {
        // codec's tests run without the native module on the class path.
        assertEquals(JavaBlake3Kernel.INSTANCE, Blake3.kernel());
    }

    @Test
    void theChosenKernelConforms() {
        Blake3KernelConformance.assertConforms(Blake3.kernel());
    }

    @Test
    void rejectsBadArguments() {
        byte[] in = new byte[10];
        byte[] out = new byte[32];
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hash(in, 5, 6, out, 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hash(in, -1, 2, out, 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hash(in, 0, 10, out, 1, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.hash(in, 0, 10, out, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.keyedHash(new byte[32], in, 0, 11, out, 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> Blake3.deriveKey("c", in, 0, 10, out, 16, 17));
        assertThrows(IllegalArgumentException.class, () -> Blake3.keyedHash(new byte[31], in));
        assertThrows(IllegalArgumentException.class, () -> Blake3.keyWords(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> Blake3.deriveKey("c", in, -1));
        assertThrows(IllegalArgumentException.class, () -> Blake3.newKeyedHasher(new byte[0]));
    }
}
