package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared by the native BLAKE3 tests: the tiers to run, BouncyCastle as the outside reference, and a minimal
 * compression function (BLAKE3 paper, section 2.2) for composing subtree chaining values into parents and roots.
 */
final class Blake3TestSupport {
    static final int[] IV = Blake3Flags.iv();
    static final String CONTEXT = "Quiver 2026-11 native BLAKE3 tests";

    private static final int[][] SCHEDULE = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
        {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
        {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
        {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
        {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
        {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
    };

    private Blake3TestSupport() {
    }

    /** Every tier with BLAKE3 kernels of its own, supported here or not (unsupported ones are skipped). */
    static Stream<Isa> blake3Isas() {
        return Stream.of(Isa.values()).filter(Isa::hasOwnBlake3);
    }

    /** The kernel of {@code isa}; skips the test, saying why, when this CPU lacks the tier. */
    static Blake3Kernel kernel(Isa isa) {
        assertTrue(Simd.isAvailable(), () -> "native kernels must load in the test JVM: "
                + Simd.unavailabilityCause().map(Throwable::getMessage).orElse(""));
        boolean supported = Simd.blake3(isa).isPresent();
        if (!supported) {
            System.out.println("SKIP native-" + isa.tierName() + ": this CPU does not support it (supported: "
                    + Simd.supportedTiers() + ")");
        }
        assumeTrue(supported, "this CPU does not support " + isa.tierName());
        return Simd.blake3(isa).orElseThrow();
    }

    static int[] keyWords(byte[] key) {
        int[] words = new int[8];
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        return words;
    }

    /** BouncyCastle's BLAKE3 of {@code in[off, off + len)}: plain, keyed ({@code key != null}) or derive-key ({@code context != null}). */
    static byte[] reference(byte[] key, String context, byte[] in, int off, int len, int outLen) {
        Blake3Digest digest = new Blake3Digest();
        if (key != null) {
            digest.init(Blake3Parameters.key(key));
        } else if (context != null) {
            digest.init(Blake3Parameters.context(context.getBytes(StandardCharsets.UTF_8)));
        }
        digest.update(in, off, len);
        byte[] out = new byte[outLen];
        digest.doFinal(out, 0, outLen);
        return out;
    }

    /** The derive-key context key through {@code kernel}, as key words for DERIVE_KEY_MATERIAL. */
    static int[] contextKey(Blake3Kernel kernel, String context) {
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        byte[] contextKey = new byte[32];
        kernel.hash(IV, Blake3Flags.DERIVE_KEY_CONTEXT, contextBytes, 0, contextBytes.length, contextKey, 0, 32);
        return keyWords(contextKey);
    }

    /** The chaining value of a parent node over two children's chaining values. */
    static byte[] parentCv(int[] key, int flags, byte[] left, byte[] right) {
        return parentOutput(key, flags | Blake3Flags.PARENT, left, right, 0, 32);
    }

    /** The first {@code outLen} bytes of the root output of a parent node (outLen <= 64). */
    static byte[] rootOfParent(int[] key, int flags, byte[] left, byte[] right, int outLen) {
        return parentOutput(key, flags | Blake3Flags.PARENT | Blake3Flags.ROOT, left, right, 0, outLen);
    }

    private static byte[] parentOutput(int[] key, int flags, byte[] left, byte[] right, long counter, int outLen) {
        byte[] block = new byte[64];
        System.arraycopy(left, 0, block, 0, 32);
        System.arraycopy(right, 0, block, 32, 32);
        int[] m = new int[16];
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(m);
        int[] v = new int[16];
        System.arraycopy(key, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 4);
        v[12] = (int) counter;
        v[13] = (int) (counter >>> 32);
        v[14] = 64;
        v[15] = flags;
        for (int[] s : SCHEDULE) {
            g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            out.putInt(v[i] ^ v[i + 8]);
        }
        for (int i = 0; i < 8; i++) {
            out.putInt(v[i + 8] ^ key[i]);
        }
        byte[] result = new byte[outLen];
        System.arraycopy(out.array(), 0, result, 0, outLen);
        return result;
    }

    private static void g(int[] v, int a, int b, int c, int d, int x, int y) {
        v[a] += v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] += v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
