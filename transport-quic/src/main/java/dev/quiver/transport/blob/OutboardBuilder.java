package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Tree;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Computes a blob's root hash and its pre-order outboard (layout: {@link Blake3Tree}) straight into a segment
 * (a mapped file), on several threads: the tree is cut into aligned subtrees of {@code leafGroups} groups, each
 * subtree's groups and parents are computed by one task with {@link Blake3Tree#groupChainingValue} and
 * {@link Blake3Tree#parentChainingValue}, and the few parents above them are joined in the caller, as
 * {@code Blake3Parallel} does for the plain hash. The heap holds a few CVs per leaf, never the data or the
 * outboard. Stateless.
 */
final class OutboardBuilder {

    private static final int CV = 32;
    private static final int ENTRY = 64;
    /** Smallest leaf: 64 groups (1 MiB), enough to amortise a task hand-off. */
    private static final long MIN_LEAF_GROUPS = 64;
    private static final int[] IV = Blake3.ivWords();

    private OutboardBuilder() {
    }

    /**
     * Writes the outboard of {@code data} to {@code outboard} (exactly {@link Blake3Tree#outboardSize()} bytes)
     * and returns the 32-byte root hash. {@code data} must be readable from the executor's threads.
     */
    static byte[] build(MemorySegment data, MemorySegment outboard, Executor executor, int parallelism) {
        Blake3Tree tree = Blake3Tree.of(data.byteSize());
        if (outboard.byteSize() != tree.outboardSize()) {
            throw new IllegalArgumentException("outboard segment is " + outboard.byteSize() + " bytes, expected "
                    + tree.outboardSize());
        }
        long groups = tree.groupCount();
        if (groups == 1) {
            return Blake3.hash(data);
        }
        long target = groups / ((long) Math.max(1, parallelism) * 4);
        long leafGroups = Math.max(MIN_LEAF_GROUPS, Long.highestOneBit(Math.max(target, 1)));
        List<long[]> leaves = new ArrayList<>();
        split(0, groups, 0, leafGroups, leaves);
        byte[] cvs = new byte[leaves.size() * CV];
        CompletableFuture<?>[] tasks = new CompletableFuture<?>[leaves.size()];
        for (int i = 0; i < tasks.length; i++) {
            long[] leaf = leaves.get(i);
            int cvOff = i * CV;
            tasks[i] = CompletableFuture.runAsync(() -> {
                byte[] cv = new byte[CV];
                node(tree, data, outboard, leaf[0], leaf[1], leaf[2], cv);
                System.arraycopy(cv, 0, cvs, cvOff, CV);
            }, parallelism > 1 ? executor : Runnable::run);
        }
        try {
            CompletableFuture.allOf(tasks).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        long left = Long.highestOneBit(groups - 1);
        int[] next = {0};
        byte[] l = fold(outboard, 1, left, leafGroups, cvs, next);
        byte[] r = fold(outboard, left, groups - left, leafGroups, cvs, next);
        writeEntry(outboard, 0, l, r);
        return Blake3Tree.rootHash(l, r, CV);
    }

    /** Appends the leaves {first group, group count, pre-order index} of the subtree over [lo, lo + n) in order. */
    private static void split(long lo, long n, long pre, long leafGroups, List<long[]> leaves) {
        if (n <= leafGroups && pre != 0) {
            leaves.add(new long[] {lo, n, pre});
            return;
        }
        long left = Long.highestOneBit(n - 1);
        split(lo, left, pre + 1, leafGroups, leaves);
        split(lo + left, n - left, pre + left, leafGroups, leaves);
    }

    /** The CV of the subtree of {@code n} groups at pre-order {@code pre}, from its leaves' CVs; writes its parents. */
    private static byte[] fold(MemorySegment outboard, long pre, long n, long leafGroups, byte[] cvs, int[] next) {
        byte[] cv = new byte[CV];
        if (n <= leafGroups) {
            System.arraycopy(cvs, next[0]++ * CV, cv, 0, CV);
            return cv;
        }
        long left = Long.highestOneBit(n - 1);
        byte[] l = fold(outboard, pre + 1, left, leafGroups, cvs, next);
        byte[] r = fold(outboard, pre + left, n - left, leafGroups, cvs, next);
        writeEntry(outboard, pre, l, r);
        Blake3Tree.parentChainingValue(l, 0, r, 0, IV, 0, cv, 0);
        return cv;
    }

    /** Computes the subtree over groups [lo, lo + n) at pre-order {@code pre} serially; its CV goes to {@code cv}. */
    private static void node(Blake3Tree tree, MemorySegment data, MemorySegment outboard, long lo, long n, long pre,
                             byte[] cv) {
        if (n == 1) {
            tree.groupChainingValue(lo, data.asSlice(tree.groupOffset(lo), tree.groupLength(lo)), cv, 0);
            return;
        }
        long left = Long.highestOneBit(n - 1);
        byte[] l = new byte[CV];
        byte[] r = new byte[CV];
        node(tree, data, outboard, lo, left, pre + 1, l);
        node(tree, data, outboard, lo + left, n - left, pre + left, r);
        writeEntry(outboard, pre, l, r);
        Blake3Tree.parentChainingValue(l, 0, r, 0, IV, 0, cv, 0);
    }

    private static void writeEntry(MemorySegment outboard, long pre, byte[] l, byte[] r) {
        MemorySegment.copy(l, 0, outboard, ValueLayout.JAVA_BYTE, pre * ENTRY, CV);
        MemorySegment.copy(r, 0, outboard, ValueLayout.JAVA_BYTE, pre * ENTRY + CV, CV);
    }
}
