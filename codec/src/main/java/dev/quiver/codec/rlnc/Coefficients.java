package dev.quiver.codec.rlnc;

/**
 * Derives a coded symbol's coefficient vector from its 64-bit seed, so a seeded symbol carries 8 bytes on the wire
 * instead of k. Every implementation (any language, any peer) must produce exactly these bytes:
 *
 * <pre>
 *   GAMMA   = 0x9E3779B97F4A7C15
 *   mix64(z):  z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *              z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *              return z ^ (z >>> 31)                 (SplitMix64's finaliser; 64-bit wrapping arithmetic)
 *   state   = mix64(generationId) ^ seed
 *   next64(): state = state + GAMMA; return mix64(state)
 *   byte stream: the outputs of next64(), each as 8 bytes little-endian (lowest byte first)
 *   vector:  c[0..k-1] = the next k bytes of the stream;
 *            if all k are zero, discard them and take the next k bytes, until a vector is not all zero
 * </pre>
 *
 * SplitMix64 is Steele, Lea and Flood, "Fast splittable pseudorandom number generators" (OOPSLA 2014). Mixing the
 * generation ID into the state means the same seed gives unrelated vectors in different generations. A zero vector
 * would carry no information, hence the redraw; it happens with probability 2^(-8k) per draw.
 */
public final class Coefficients {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private Coefficients() {
    }

    /** The k coefficients of the seeded symbol {@code seed} in generation {@code generationId}. */
    public static byte[] fromSeed(long generationId, long seed, int k) {
        if (k < 1 || k > GenerationInfo.MAX_K) {
            throw new IllegalArgumentException("k = " + k + " outside 1.." + GenerationInfo.MAX_K);
        }
        byte[] c = new byte[k];
        long state = mix64(generationId) ^ seed;
        long word = 0;
        int bytesLeft = 0;
        boolean allZero = true;
        while (allZero) {
            for (int i = 0; i < k; i++) {
                if (bytesLeft == 0) {
                    state += GAMMA;
                    word = mix64(state);
                    bytesLeft = Long.BYTES;
                }
                c[i] = (byte) word;
                allZero &= c[i] == 0;
                word >>>= 8;
                bytesLeft--;
            }
        }
        return c;
    }

    /** The unit vector e_index of length k: the coefficients of systematic symbol {@code index}. */
    public static byte[] unit(int index, int k) {
        byte[] c = new byte[k];
        c[index] = 1;
        return c;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static boolean isZero(byte[] v) {
        for (byte b : v) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
