package dev.quiver.codec.blake3;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Multithreaded BLAKE3 of one large input: the tree is cut into aligned subtrees ("leaves", a power of two chunks
 * each except maybe the last), the leaves are hashed concurrently with {@link Blake3Kernel#subtreeChainingValue},
 * and the parents above them are joined here in the caller's thread. The result equals the serial hash for every
 * size, because the leaves are exactly subtrees of the serial tree (left subtree = largest power of two below the
 * chunk count, BLAKE3 paper, section 2.1).
 *
 * <p>Stateless; each call owns its working arrays.
 */
final class Blake3Parallel {

    /** Below this many bytes one thread is faster than handing out work. */
    static final long MIN_PARALLEL_LEN = 256 * 1024;
    /** Smallest leaf: 64 chunks (64 KiB), enough to amortise a task hand-off and to let SIMD kernels stream. */
    private static final long MIN_LEAF_CHUNKS = 64;
    /** Leaves per worker, so an unlucky slow worker does not hold up the rest for long. */
    private static final int LEAVES_PER_WORKER = 4;
    /** An unstarted thread, to ask whether a segment is confined to its owner thread. */
    private static final Thread PROBE = Thread.ofPlatform().unstarted(() -> { });

    private Blake3Parallel() {
    }

    static void hash(Blake3Kernel kernel, int[] key, int flags, MemorySegment in, Executor executor, int parallelism,
                     byte[] out, int outOff, int outLen) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(executor, "executor");
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        long len = in.byteSize();
        long chunks = JavaBlake3Kernel.chunkCount(len);
        long leafChunks = leafChunks(chunks, parallelism);
        if (parallelism <= 1 || len < MIN_PARALLEL_LEN || chunks <= leafChunks) {
            kernel.hash(key, flags, in, out, outOff, outLen);
            return;
        }
        if (!in.isAccessibleBy(PROBE)) {
            throw new IllegalArgumentException("the segment is confined to its owner thread; allocate or map it with "
                    + "Arena.ofShared(), Arena.ofAuto() or Arena.global() to hash it on several threads");
        }
        List<long[]> leaves = new ArrayList<>();
        split(0, chunks, leafChunks, leaves);
        byte[] cvs = new byte[leaves.size() * Blake3Flags.OUT_LEN];
        CompletableFuture<?>[] tasks = new CompletableFuture<?>[leaves.size()];
        for (int i = 0; i < tasks.length; i++) {
            long firstChunk = leaves.get(i)[0];
            long offset = firstChunk * Blake3Flags.CHUNK_LEN;
            long size = Math.min(leaves.get(i)[1] * Blake3Flags.CHUNK_LEN, len - offset);
            int cvOff = i * Blake3Flags.OUT_LEN;
            tasks[i] = CompletableFuture.runAsync(() -> kernel.subtreeChainingValue(key, flags,
                    in.asSlice(offset, size), firstChunk, cvs, cvOff), executor);
        }
        try {
            CompletableFuture.allOf(tasks).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        long left = Long.highestOneBit(chunks - 1);
        int[] next = {0};
        byte[] leftCv = fold(left, leafChunks, cvs, next, key, flags);
        byte[] rightCv = fold(chunks - left, leafChunks, cvs, next, key, flags);
        Blake3Tree.rootHash(leftCv, 0, rightCv, 0, key, flags, out, outOff, outLen);
    }

    /** Leaf size in chunks: a power of two, about {@code chunks / (parallelism * LEAVES_PER_WORKER)}. */
    private static long leafChunks(long chunks, int parallelism) {
        long target = chunks / ((long) Math.max(parallelism, 1) * LEAVES_PER_WORKER);
        return Math.max(MIN_LEAF_CHUNKS, Long.highestOneBit(Math.max(target, 1)));
    }

    /** Appends the leaves ({first chunk, chunk count}) of the subtree over chunks {@code [lo, lo + n)} in order. */
    private static void split(long lo, long n, long leafChunks, List<long[]> leaves) {
        if (n <= leafChunks) {
            leaves.add(new long[] {lo, n});
            return;
        }
        long left = Long.highestOneBit(n - 1);
        split(lo, left, leafChunks, leaves);
        split(lo + left, n - left, leafChunks, leaves);
    }

    /** The CV of a subtree of {@code n} chunks from its leaves' CVs, consumed in order from {@code next[0]}. */
    private static byte[] fold(long n, long leafChunks, byte[] cvs, int[] next, int[] key, int flags) {
        byte[] cv = new byte[Blake3Flags.OUT_LEN];
        if (n <= leafChunks) {
            System.arraycopy(cvs, next[0]++ * Blake3Flags.OUT_LEN, cv, 0, Blake3Flags.OUT_LEN);
            return cv;
        }
        long left = Long.highestOneBit(n - 1);
        byte[] l = fold(left, leafChunks, cvs, next, key, flags);
        byte[] r = fold(n - left, leafChunks, cvs, next, key, flags);
        Blake3Tree.parentChainingValue(l, 0, r, 0, key, flags, cv, 0);
        return cv;
    }
}
