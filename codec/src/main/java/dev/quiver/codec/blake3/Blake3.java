package dev.quiver.codec.blake3;

import dev.quiver.codec.kernel.KernelProvider;
import dev.quiver.codec.kernel.KernelProviders;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * BLAKE3 (the BLAKE3 paper and specification, <a href="https://github.com/BLAKE3-team/BLAKE3-specs">BLAKE3-specs</a>):
 * one-shot hash, keyed hash and key derivation with output of any length, incremental hashers, and multithreaded
 * hashing of large inputs. Every call goes through {@link #kernel()}: the native SIMD kernel when the native module
 * is present and usable here, else {@link JavaBlake3Kernel}.
 *
 * <p>All methods are thread-safe.
 */
public final class Blake3 {

    private Blake3() {
    }

    /** The best kernel available here, chosen once per JVM. */
    public static Blake3Kernel kernel() {
        return KernelHolder.KERNEL;
    }

    private static final class KernelHolder {
        static final Blake3Kernel KERNEL =
                KernelProviders.nativeProvider().flatMap(KernelProvider::blake3).orElse(JavaBlake3Kernel.INSTANCE);
    }

    /** The 32-byte BLAKE3 hash of {@code input}. */
    public static byte[] hash(byte[] input) {
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        hash(input, 0, input.length, out, 0, out.length);
        return out;
    }

    /** Writes {@code outLen} bytes of the (extended) hash of {@code in[off, off + len)} to {@code out[outOff, ...)}. */
    public static void hash(byte[] in, int off, int len, byte[] out, int outOff, int outLen) {
        kernel().hash(Blake3Compress.IV, 0, in, off, len, out, outOff, outLen);
    }

    /** The 32-byte BLAKE3 hash of all of {@code input}. */
    public static byte[] hash(MemorySegment input) {
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        kernel().hash(Blake3Compress.IV, 0, input, out, 0, out.length);
        return out;
    }

    /**
     * The 32-byte hash of {@code input} computed on {@code threads} threads of a temporary pool (thread start-up
     * included, so for repeated calls prefer {@link #hashParallel(MemorySegment, Executor, int, byte[], int, int)}
     * with a long-lived pool). The segment must be accessible from other threads (not from a confined arena).
     */
    public static byte[] hashParallel(MemorySegment input, int threads) {
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        hashParallel(input, threads, out, 0, out.length);
        return out;
    }

    /** As {@link #hashParallel(MemorySegment, int)}, writing {@code outLen} bytes of output to {@code out}. */
    public static void hashParallel(MemorySegment input, int threads, byte[] out, int outOff, int outLen) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (threads == 1 || input.byteSize() < Blake3Parallel.MIN_PARALLEL_LEN) {
            kernel().hash(Blake3Compress.IV, 0, input, out, outOff, outLen);
            return;
        }
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            hashParallel(input, pool, threads, out, outOff, outLen);
        }
    }

    /**
     * Writes {@code outLen} bytes of the hash of {@code input} to {@code out}, hashing aligned subtrees on
     * {@code executor} (cut for about {@code parallelism} workers) and joining them in the calling thread. Equal to
     * {@link #hash(MemorySegment)} for every input. The segment must be accessible from the executor's threads.
     */
    public static void hashParallel(MemorySegment input, Executor executor, int parallelism, byte[] out, int outOff,
                                    int outLen) {
        Blake3Parallel.hash(kernel(), Blake3Compress.IV, 0, input, executor, parallelism, out, outOff, outLen);
    }

    /**
     * As {@link #hashParallel(MemorySegment, Executor, int, byte[], int, int)} in any mode: {@code keyWords} and
     * {@code flags} as the kernel takes them ({@link #ivWords()} and 0; {@link #keyWords(byte[])} and
     * {@link Blake3Flags#KEYED_HASH}; {@link #deriveKeyContextWords(String)} and
     * {@link Blake3Flags#DERIVE_KEY_MATERIAL}).
     */
    public static void hashParallel(int[] keyWords, int flags, MemorySegment input, Executor executor,
                                    int parallelism, byte[] out, int outOff, int outLen) {
        JavaBlake3Kernel.checkKeyAndFlags(keyWords, flags);
        Blake3Parallel.hash(kernel(), keyWords.clone(), flags, input, executor, parallelism, out, outOff, outLen);
    }

    /** Writes {@code outLen} bytes of the (extended) hash of all of {@code input} to {@code out[outOff, ...)}. */
    public static void hash(MemorySegment input, byte[] out, int outOff, int outLen) {
        kernel().hash(Blake3Compress.IV, 0, input, out, outOff, outLen);
    }

    /** The 32-byte keyed hash (a MAC) of {@code input} under the 32-byte {@code key}. */
    public static byte[] keyedHash(byte[] key, byte[] input) {
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        keyedHash(key, input, 0, input.length, out, 0, out.length);
        return out;
    }

    /** Writes {@code outLen} bytes of the keyed hash of {@code in[off, off + len)} under {@code key}. */
    public static void keyedHash(byte[] key, byte[] in, int off, int len, byte[] out, int outOff, int outLen) {
        kernel().hash(keyWords(key), Blake3Flags.KEYED_HASH, in, off, len, out, outOff, outLen);
    }

    /**
     * Derives {@code outLen} bytes of key from {@code material} for the application-specific {@code context}
     * (hard-coded, globally unique, e.g. {@code "quiver 2026-11-21 node id"}; spec section 6.2).
     */
    public static byte[] deriveKey(String context, byte[] material, int outLen) {
        if (outLen < 0) {
            throw new IllegalArgumentException("outLen must be non-negative: " + outLen);
        }
        byte[] out = new byte[outLen];
        deriveKey(context, material, 0, material.length, out, 0, outLen);
        return out;
    }

    /** As {@link #deriveKey(String, byte[], int)}, from {@code material[off, off + len)} into {@code out}. */
    public static void deriveKey(String context, byte[] material, int off, int len, byte[] out, int outOff,
                                 int outLen) {
        Objects.checkFromIndexSize(off, len, material.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        kernel().hash(deriveKeyContextWords(context), Blake3Flags.DERIVE_KEY_MATERIAL, material, off, len, out,
                outOff, outLen);
    }

    /**
     * The key words for derive-key material hashing: the context string (UTF-8) hashed with
     * {@link Blake3Flags#DERIVE_KEY_CONTEXT}, read as eight little-endian words.
     */
    public static int[] deriveKeyContextWords(String context) {
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        byte[] contextKey = new byte[Blake3Flags.KEY_LEN];
        kernel().hash(Blake3Compress.IV, Blake3Flags.DERIVE_KEY_CONTEXT, contextBytes, 0, contextBytes.length,
                contextKey, 0, contextKey.length);
        return keyWords(contextKey);
    }

    /** The eight little-endian key words of a 32-byte key. */
    public static int[] keyWords(byte[] key) {
        if (key.length != Blake3Flags.KEY_LEN) {
            throw new IllegalArgumentException("a BLAKE3 key is 32 bytes, not " + key.length);
        }
        int[] words = new int[8];
        JavaBlake3Kernel.loadCv(key, 0, words, 0);
        return words;
    }

    /** The eight IV words: the key words of plain hashing. */
    public static int[] ivWords() {
        return Blake3Compress.IV.clone();
    }

    /** A new incremental hasher for plain hashing on {@link #kernel()}. */
    public static Blake3Hasher newHasher() {
        return newHasher(kernel());
    }

    /** A new incremental hasher for plain hashing on {@code kernel}. */
    public static Blake3Hasher newHasher(Blake3Kernel kernel) {
        return new Blake3Hasher(kernel, Blake3Compress.IV, 0);
    }

    /** A new incremental hasher for keyed hashing under the 32-byte {@code key}. */
    public static Blake3Hasher newKeyedHasher(byte[] key) {
        return newKeyedHasher(key, kernel());
    }

    /** A new incremental hasher for keyed hashing under the 32-byte {@code key}, on {@code kernel}. */
    public static Blake3Hasher newKeyedHasher(byte[] key, Blake3Kernel kernel) {
        return new Blake3Hasher(kernel, keyWords(key), Blake3Flags.KEYED_HASH);
    }

    /** A new incremental hasher that derives key material for {@code context}. */
    public static Blake3Hasher newDeriveKeyHasher(String context) {
        return newDeriveKeyHasher(context, kernel());
    }

    /** A new incremental hasher that derives key material for {@code context}, on {@code kernel}. */
    public static Blake3Hasher newDeriveKeyHasher(String context, Blake3Kernel kernel) {
        return new Blake3Hasher(kernel, deriveKeyContextWords(context), Blake3Flags.DERIVE_KEY_MATERIAL);
    }
}
