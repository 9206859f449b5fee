package dev.quiver.codec.blake3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

import static dev.quiver.codec.blake3.Blake3Compress.LE_INT;
import static dev.quiver.codec.blake3.Blake3Flags.BLOCK_LEN;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_END;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_LEN;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_START;
import static dev.quiver.codec.blake3.Blake3Flags.PARENT;

/**
 * The pure-Java {@link Blake3Kernel}, with a CV stack for the tree (BLAKE3 paper, sections 2.3 and 5.1.2). Runs of
 * whole chunks go through {@link Blake3VectorLanes} (several chunks per vector instruction) when the
 * {@code jdk.incubator.vector} module is present, everything else one block at a time through the unrolled scalar
 * {@link Blake3Compress}. The system property {@code quiver.blake3.vector=false} keeps it scalar.
 *
 * <p>Every call works in a per-thread {@link Blake3Scratch}, so nothing is allocated per call; the scratch carries
 * no meaning between calls. Stateless and thread-safe.
 */
public final class JavaBlake3Kernel implements Blake3Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(JavaBlake3Kernel.class);

    private static final int DETECTED_LANES = detectLanes();

    /** The one instance: vector lanes once warm (see {@link Blake3VectorGate}), else scalar. */
    public static final JavaBlake3Kernel INSTANCE = new JavaBlake3Kernel(DETECTED_LANES, true);

    /** Scalar only, so tests can hold the paths against each other. */
    static final JavaBlake3Kernel SCALAR = new JavaBlake3Kernel(0, false);

    /** Vector lanes from the first call, warm or not, so tests exercise the vector path deterministically. */
    static final JavaBlake3Kernel VECTOR = new JavaBlake3Kernel(DETECTED_LANES, false);

    /** While the gate is closed, a long call rereads it once per this many chunks (1 MiB). */
    private static final long GATE_RECHECK_CHUNKS = 1024;

    private static final ThreadLocal<Blake3Scratch> SCRATCH = ThreadLocal.withInitial(Blake3Scratch::new);
    private static final int MODE_FLAGS =
            Blake3Flags.KEYED_HASH | Blake3Flags.DERIVE_KEY_CONTEXT | Blake3Flags.DERIVE_KEY_MATERIAL;

    /** Chunks per vector batch, or 0 for scalar only. */
    private final int lanes;
    /** Whether the vector path waits for {@link Blake3VectorGate}. */
    private final boolean gated;

    private JavaBlake3Kernel(int lanes, boolean gated) {
        this.lanes = lanes;
        this.gated = gated;
    }

    private static int detectLanes() {
        if (!Boolean.parseBoolean(System.getProperty("quiver.blake3.vector", "true"))) {
            LOG.debug("BLAKE3 Java kernel: scalar (quiver.blake3.vector=false)");
            return 0;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.debug("BLAKE3 Java kernel: scalar; add --add-modules jdk.incubator.vector for the vector path");
            return 0;
        }
        try {
            int lanes = Blake3VectorLanes.LANES;
            if (lanes < 4 || lanes > Blake3Scratch.MAX_LANES) {
                LOG.debug("BLAKE3 Java kernel: scalar; {} int lanes per vector is outside [4, {}]", lanes,
                        Blake3Scratch.MAX_LANES);
                return 0;
            }
            LOG.debug("BLAKE3 Java kernel: {} chunks per vector batch", lanes);
            return lanes;
        } catch (LinkageError e) {
            LOG.debug("BLAKE3 Java kernel: scalar; vector path failed to load", e);
            return 0;
        }
    }

    /**
     * Chunks hashed per vector batch ({@code jdk.incubator.vector}) once the vector path is warm, or 0 when this
     * kernel is scalar only.
     */
    public int vectorLanes() {
        return lanes;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void hash(int[] keyWords, int flags, byte[] in, int inOff, int inLen, byte[] out, int outOff,
                     int outLen) {
        checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        Blake3Scratch s = SCRATCH.get();
        root(keyWords, flags, in, null, inOff, inLen, s);
        s.root.write(0, out, outOff, outLen);
    }

    @Override
    public void hash(int[] keyWords, int flags, MemorySegment in, byte[] out, int outOff, int outLen) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        Blake3Scratch s = SCRATCH.get();
        root(keyWords, flags, null, in, 0, in.byteSize(), s);
        s.root.write(0, out, outOff, outLen);
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, byte[] in, int inOff, int inLen, long chunkCounter,
                                     byte[] cvOut, int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(inLen, chunkCounter);
        Blake3Scratch s = SCRATCH.get();
        subtree(keyWords, flags, in, null, inOff, inLen, chunkCounter, s.stack, 0, s);
        storeCv(s.stack, 0, cvOut, cvOff);
    }

    @Override
    public void subtreeChainingValue(int[] keyWords, int flags, MemorySegment in, long chunkCounter, byte[] cvOut,
                                     int cvOff) {
        checkKeyAndFlags(keyWords, flags);
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(cvOff, Blake3Flags.OUT_LEN, cvOut.length);
        checkSubtree(in.byteSize(), chunkCounter);
        Blake3Scratch s = SCRATCH.get();
        subtree(keyWords, flags, null, in, 0, in.byteSize(), chunkCounter, s.stack, 0, s);
        storeCv(s.stack, 0, cvOut, cvOff);
    }

    static void checkKeyAndFlags(int[] keyWords, int flags) {
        Objects.checkFromIndexSize(0, 8, keyWords.length);
        if ((flags & ~MODE_FLAGS) != 0 || Integer.bitCount(flags) > 1) {
            throw new IllegalArgumentException("flags must be 0, KEYED_HASH, DERIVE_KEY_CONTEXT or "
                    + "DERIVE_KEY_MATERIAL; the kernel adds the node flags itself: 0x" + Integer.toHexString(flags));
        }
    }

    /** The subtree preconditions of {@link Blake3Kernel#subtreeChainingValue}. */
    static void checkSubtree(long inLen, long chunkCounter) {
        if (inLen <= 0) {
            throw new IllegalArgumentException("a subtree has at least one byte; inLen=" + inLen);
        }
        long chunks = chunkCount(inLen);
        long span = Long.highestOneBit(chunks) == chunks ? chunks : Long.highestOneBit(chunks) << 1;
        if (chunkCounter < 0 || (chunkCounter & (span - 1)) != 0) {
            throw new IllegalArgumentException("chunkCounter " + chunkCounter + " is not a multiple of " + span
                    + ", so " + inLen + " bytes there are not one subtree of the BLAKE3 tree");
        }
    }

    /** The number of chunks of a message of {@code len} bytes, at least one. */
    static long chunkCount(long len) {
        return len <= CHUNK_LEN ? 1 : (len + CHUNK_LEN - 1) >>> 10;
    }

    /** Writes the eight words {@code cv[off, off + 8)} as 32 little-endian bytes. */
    static void storeCv(int[] cv, int off, byte[] out, int outOff) {
        for (int i = 0; i < 8; i++) {
            LE_INT.set(out, outOff + 4 * i, cv[off + i]);
        }
    }

    /** Reads 32 little-endian bytes as eight words into {@code cv[off, off + 8)}. */
    static void loadCv(byte[] in, int inOff, int[] cv, int off) {
        for (int i = 0; i < 8; i++) {
            cv[off + i] = (int) LE_INT.get(in, inOff + 4 * i);
        }
    }

    /**
     * Makes {@code s.root} the root node of the message {@code arr[off, off + len)} or {@code seg[off, off + len)}
     * (exactly one of the two is non-null).
     */
    void root(int[] key, int flags, byte[] arr, MemorySegment seg, long off, long len, Blake3Scratch s) {
        long chunks = chunkCount(len);
        if (chunks == 1) {
            int lastLen = chunkBody(key, flags, arr, seg, off, (int) len, 0, s.root.cv, 0, s.pad);
            s.root.setChunkBlock(s.root.cv, s.pad, lastLen, flags | CHUNK_END | (len <= BLOCK_LEN ? CHUNK_START : 0));
            return;
        }
        int[] stack = s.stack;
        int depth = pushAllButLastChunk(key, flags, arr, seg, off, len, 0, s);
        long lastOff = (chunks - 1) * CHUNK_LEN;
        chunkCv(key, flags, arr, seg, off + lastOff, (int) (len - lastOff), chunks - 1, stack, depth * 8, s.pad);
        depth++;
        // Roll up right to left; the last parent (over the two top-level subtrees) is the root.
        for (; depth > 2; depth--) {
            parentCv(key, flags, stack, (depth - 2) * 8);
        }
        s.root.setParent(key, stack, 0, flags);
    }

    /**
     * Writes the chaining value of the subtree {@code arr|seg[off, off + len)}, whose first chunk has index
     * {@code counter}, to {@code out[outOff, outOff + 8)}. Works in {@code s.stack}, so {@code out} may be that
     * stack only at offset 0.
     */
    void subtree(int[] key, int flags, byte[] arr, MemorySegment seg, long off, long len, long counter, int[] out,
                 int outOff, Blake3Scratch s) {
        long chunks = chunkCount(len);
        if (chunks == 1) {
            chunkCv(key, flags, arr, seg, off, (int) len, counter, out, outOff, s.pad);
            return;
        }
        int[] stack = s.stack;
        int depth = pushAllButLastChunk(key, flags, arr, seg, off, len, counter, s);
        long lastOff = (chunks - 1) * CHUNK_LEN;
        chunkCv(key, flags, arr, seg, off + lastOff, (int) (len - lastOff), counter + chunks - 1, stack, depth * 8,
                s.pad);
        depth++;
        for (; depth > 1; depth--) {
            parentCv(key, flags, stack, (depth - 2) * 8);
        }
        System.arraycopy(stack, 0, out, outOff, 8);
    }

    /**
     * Pushes the CVs of every chunk but the last onto {@code s.stack}, merging eagerly (see {@link #pushed});
     * returns the stack depth. The last chunk is left out so that the caller decides whether the top merge is the
     * root. Batches of whole chunks go through the vector lanes when this kernel has them and they are warm. While the
     * gate is closed it is reread every {@link #GATE_RECHECK_CHUNKS} chunks: a long call (a 1 GiB mapped file or
     * segment) that starts before the vector path is compiled switches to it once it is, instead of staying scalar
     * to its end.
     */
    private int pushAllButLastChunk(int[] key, int flags, byte[] arr, MemorySegment seg, long off, long len,
                                    long counter, Blake3Scratch s) {
        long chunks = chunkCount(len);
        int[] stack = s.stack;
        int depth = 0;
        long i = 0;
        if (lanes > 0 && gated && chunks - 1 >= lanes && !Blake3VectorGate.isOpen()) {
            Blake3VectorGate.noteScalarChunks(chunks - 1);
            while (i < chunks - 1 && !Blake3VectorGate.isOpen()) {
                for (long stop = Math.min(chunks - 1, i + GATE_RECHECK_CHUNKS); i < stop; i++) {
                    chunkCv(key, flags, arr, seg, off + i * CHUNK_LEN, CHUNK_LEN, counter + i, stack, depth * 8,
                            s.pad);
                    depth = pushed(key, flags, stack, depth, i);
                }
            }
        }
        // Here the gate is open (or this kernel is ungated), or at most the last chunk is left.
        if (lanes > 0) {
            int[] laneCvs = s.laneCvs();
            int[] laneWords = s.laneWords();
            for (; chunks - 1 - i >= lanes; ) {
                Blake3VectorLanes.hashChunks(key, flags, arr, seg, off + i * CHUNK_LEN, counter + i, laneCvs, 0,
                        laneWords);
                for (int l = 0; l < lanes; l++, i++) {
                    System.arraycopy(laneCvs, 8 * l, stack, depth * 8, 8);
                    depth = pushed(key, flags, stack, depth, i);
                }
            }
        }
        for (; i < chunks - 1; i++) {
            chunkCv(key, flags, arr, seg, off + i * CHUNK_LEN, CHUNK_LEN, counter + i, stack, depth * 8, s.pad);
            depth = pushed(key, flags, stack, depth, i);
        }
        return depth;
    }

    /**
     * Accounts for chunk {@code i}'s CV just written at entry {@code depth}: merges as many times as the chunk count
     * {@code i + 1} has trailing zero bits (each completes a subtree); returns the new depth.
     */
    private static int pushed(int[] key, int flags, int[] stack, int depth, long i) {
        depth++;
        for (long done = i + 1; (done & 1) == 0; done >>>= 1) {
            parentCv(key, flags, stack, (depth - 2) * 8);
            depth--;
        }
        return depth;
    }

    /** Replaces the two CVs at {@code stack[off, off + 16)} with their parent's CV at {@code stack[off]}. */
    static void parentCv(int[] key, int flags, int[] stack, int off) {
        Blake3Compress.compressWords(key, 0, stack, off, 0, BLOCK_LEN, flags | PARENT, stack, off, false);
    }

    /** Writes the (non-root) chaining value of one chunk of {@code len} bytes, 1 to 1024, to {@code out}. */
    static void chunkCv(int[] key, int flags, byte[] arr, MemorySegment seg, long off, int len, long counter,
                        int[] out, int outOff, byte[] pad) {
        int lastLen = chunkBody(key, flags, arr, seg, off, len, counter, out, outOff, pad);
        int lastFlags = flags | CHUNK_END | (len <= BLOCK_LEN ? CHUNK_START : 0);
        Blake3Compress.compressBytes(out, outOff, pad, 0, counter, lastLen, lastFlags, out, outOff);
    }

    /**
     * Compresses every block of a chunk but the last into {@code cv[cvOff, cvOff + 8)} (starting from the key),
     * copies the last block zero-padded into {@code pad} and returns its length (0 only for an empty message).
     */
    static int chunkBody(int[] key, int flags, byte[] arr, MemorySegment seg, long off, int len, long counter,
                         int[] cv, int cvOff, byte[] pad) {
        System.arraycopy(key, 0, cv, cvOff, 8);
        int lastLen = len == 0 ? 0 : ((len - 1) & (BLOCK_LEN - 1)) + 1;
        int full = len - lastLen;
        int blockFlags = flags | CHUNK_START;
        if (arr != null) {
            int o = (int) off;
            for (int b = 0; b < full; b += BLOCK_LEN) {
                Blake3Compress.compressBytes(cv, cvOff, arr, o + b, counter, BLOCK_LEN, blockFlags, cv, cvOff);
                blockFlags = flags;
            }
            System.arraycopy(arr, o + full, pad, 0, lastLen);
        } else {
            for (int b = 0; b < full; b += BLOCK_LEN) {
                Blake3Compress.compressSegment(cv, cvOff, seg, off + b, counter, BLOCK_LEN, blockFlags, cv, cvOff,
                        false);
                blockFlags = flags;
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + full, pad, 0, lastLen);
        }
        Arrays.fill(pad, lastLen, BLOCK_LEN, (byte) 0);
        return lastLen;
    }
}
