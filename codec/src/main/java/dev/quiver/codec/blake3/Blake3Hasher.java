package dev.quiver.codec.blake3;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import static dev.quiver.codec.blake3.Blake3Flags.BLOCK_LEN;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_END;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_LEN;
import static dev.quiver.codec.blake3.Blake3Flags.CHUNK_START;

/**
 * Incremental BLAKE3: feed the message in pieces of any size, then finalise to any output length or open an
 * {@link Blake3OutputReader}. Finalising does not change the state, so more input may follow.
 *
 * <p>Input that arrives in large runs goes to the kernel as whole subtrees (the largest power-of-two number of
 * chunks that is aligned at the current chunk counter, as the official implementation's {@code hasher_update}
 * does), so a native kernel speeds up incremental hashing too. Partial chunks are buffered here.
 *
 * <p>The chaining values of completed subtrees sit on a stack that is merged lazily: an entry is merged only when
 * the next one arrives (BLAKE3 paper, section 5.1.2), and the current chunk is never finalised before more input
 * follows, because it may turn out to be the root.
 *
 * <p>Not thread-safe: one thread at a time owns a hasher.
 */
public final class Blake3Hasher {
    private final Blake3Kernel kernel;
    private final int[] key;
    private final int flags;

    // The current chunk: its CV so far, the buffered (not yet compressed) last block, and where it is.
    private final int[] chunkCv = new int[8];
    private final byte[] chunkBlock = new byte[BLOCK_LEN];
    private int chunkBlockLen;
    private int chunkBlocksCompressed;
    private long chunkCounter;

    // CVs of completed subtrees, 8 words each; cvStackLen entries.
    private final int[] cvStack = new int[(Blake3Scratch.MAX_DEPTH + 1) * 8];
    private int cvStackLen;

    private final Blake3Scratch scratch = new Blake3Scratch();
    private final byte[] subtreeCv = new byte[Blake3Flags.OUT_LEN];

    Blake3Hasher(Blake3Kernel kernel, int[] keyWords, int flags) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        JavaBlake3Kernel.checkKeyAndFlags(keyWords, flags);
        this.key = Arrays.copyOf(keyWords, 8);
        this.flags = flags;
        reset();
    }

    /** Forgets all input, keeping the mode (plain, keyed or derive-key) and kernel. */
    public Blake3Hasher reset() {
        System.arraycopy(key, 0, chunkCv, 0, 8);
        chunkBlockLen = 0;
        chunkBlocksCompressed = 0;
        chunkCounter = 0;
        cvStackLen = 0;
        return this;
    }

    /** The kernel this hasher hands whole subtrees to. */
    public Blake3Kernel kernel() {
        return kernel;
    }

    /** Adds all of {@code in}. */
    public Blake3Hasher update(byte[] in) {
        return update(in, 0, in.length);
    }

    /** Adds {@code in[off, off + len)}. */
    public Blake3Hasher update(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        update(in, null, off, len);
        return this;
    }

    /** Adds the remaining bytes of {@code in} and moves its position to its limit. */
    public Blake3Hasher update(ByteBuffer in) {
        int len = in.remaining();
        if (in.hasArray()) {
            update(in.array(), in.arrayOffset() + in.position(), len);
        } else {
            update(MemorySegment.ofBuffer(in));
        }
        in.position(in.position() + len);
        return this;
    }

    /** Adds all of {@code in}. */
    public Blake3Hasher update(MemorySegment in) {
        Objects.requireNonNull(in, "in");
        update(null, in, 0, in.byteSize());
        return this;
    }

    private void update(byte[] arr, MemorySegment seg, long off, long len) {
        if (chunkLen() > 0) {
            int take = (int) Math.min(CHUNK_LEN - chunkLen(), len);
            chunkUpdate(arr, seg, off, take);
            off += take;
            len -= take;
            if (len == 0) {
                return;
            }
            // More input follows, so the full chunk in the buffer is not the root.
            chunkOutputCv(scratch.stack, 0);
            pushCv(scratch.stack, 0, chunkCounter);
            chunkCounter++;
            resetChunk();
        }
        // Whole subtrees straight from the input; at least one byte is kept back for the chunk state, which may be
        // the root.
        while (len > CHUNK_LEN) {
            long subtreeLen = Long.highestOneBit(len - 1);
            long bytesSoFar = chunkCounter * CHUNK_LEN;
            while (((subtreeLen - 1) & bytesSoFar) != 0) {
                subtreeLen >>>= 1;
            }
            hashSubtree(arr, seg, off, subtreeLen);
            pushCv(scratch.stack, 0, chunkCounter);
            chunkCounter += subtreeLen / CHUNK_LEN;
            off += subtreeLen;
            len -= subtreeLen;
        }
        if (len > 0) {
            chunkUpdate(arr, seg, off, (int) len);
            mergeCvStack(chunkCounter);
        }
    }

    /** Writes the CV of the aligned subtree at {@code off} (chunk {@code chunkCounter}) to scratch.stack[0..8). */
    private void hashSubtree(byte[] arr, MemorySegment seg, long off, long subtreeLen) {
        if (subtreeLen == CHUNK_LEN || kernel instanceof JavaBlake3Kernel) {
            JavaBlake3Kernel java = kernel instanceof JavaBlake3Kernel k ? k : JavaBlake3Kernel.INSTANCE;
            java.subtree(key, flags, arr, seg, off, subtreeLen, chunkCounter, scratch.stack, 0, scratch);
            return;
        }
        if (arr != null) {
            kernel.subtreeChainingValue(key, flags, arr, (int) off, (int) subtreeLen, chunkCounter, subtreeCv, 0);
        } else {
            kernel.subtreeChainingValue(key, flags, seg.asSlice(off, subtreeLen), chunkCounter, subtreeCv, 0);
        }
        JavaBlake3Kernel.loadCv(subtreeCv, 0, scratch.stack, 0);
    }

    private int chunkLen() {
        return chunkBlocksCompressed * BLOCK_LEN + chunkBlockLen;
    }

    private void resetChunk() {
        System.arraycopy(key, 0, chunkCv, 0, 8);
        chunkBlockLen = 0;
        chunkBlocksCompressed = 0;
    }

    private int blockFlags() {
        return flags | (chunkBlocksCompressed == 0 ? CHUNK_START : 0);
    }

    /** Adds {@code len} bytes that fit in the current chunk; the last block stays buffered (it may be CHUNK_END). */
    private void chunkUpdate(byte[] arr, MemorySegment seg, long off, int len) {
        while (len > 0) {
            if (chunkBlockLen == BLOCK_LEN) {
                Blake3Compress.compressBytes(chunkCv, 0, chunkBlock, 0, chunkCounter, BLOCK_LEN, blockFlags(),
                        chunkCv, 0, false);
                chunkBlocksCompressed++;
                chunkBlockLen = 0;
            }
            if (chunkBlockLen == 0) {
                // Whole blocks that are surely not the chunk's last go straight from the input.
                while (len > BLOCK_LEN) {
                    if (arr != null) {
                        Blake3Compress.compressBytes(chunkCv, 0, arr, (int) off, chunkCounter, BLOCK_LEN,
                                blockFlags(), chunkCv, 0, false);
                    } else {
                        Blake3Compress.compressSegment(chunkCv, 0, seg, off, chunkCounter, BLOCK_LEN, blockFlags(),
                                chunkCv, 0, false);
                    }
                    chunkBlocksCompressed++;
                    off += BLOCK_LEN;
                    len -= BLOCK_LEN;
                }
            }
            int take = Math.min(BLOCK_LEN - chunkBlockLen, len);
            if (arr != null) {
                System.arraycopy(arr, (int) off, chunkBlock, chunkBlockLen, take);
            } else {
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, chunkBlock, chunkBlockLen, take);
            }
            chunkBlockLen += take;
            off += take;
            len -= take;
        }
    }

    /** The current chunk's last-block flags. */
    private int chunkEndFlags() {
        return blockFlags() | CHUNK_END;
    }

    /** Writes the current chunk's (non-root) CV to {@code out[outOff, outOff + 8)}. */
    private void chunkOutputCv(int[] out, int outOff) {
        byte[] pad = scratch.pad;
        System.arraycopy(chunkBlock, 0, pad, 0, chunkBlockLen);
        Arrays.fill(pad, chunkBlockLen, BLOCK_LEN, (byte) 0);
        Blake3Compress.compressBytes(chunkCv, 0, pad, 0, chunkCounter, chunkBlockLen, chunkEndFlags(), out, outOff,
                false);
    }

    /**
     * Pushes a subtree CV that starts at chunk {@code startChunk}, first merging the entries that the subtrees
     * before it complete: afterwards, the stack holds one entry per one bit of {@code startChunk}, plus this one.
     */
    private void pushCv(int[] cv, int off, long startChunk) {
        mergeCvStack(startChunk);
        System.arraycopy(cv, off, cvStack, cvStackLen * 8, 8);
        cvStackLen++;
    }

    private void mergeCvStack(long totalChunks) {
        int target = Long.bitCount(totalChunks);
        while (cvStackLen > target) {
            JavaBlake3Kernel.parentCv(key, flags, cvStack, (cvStackLen - 2) * 8);
            cvStackLen--;
        }
    }

    /** Writes 32 bytes of output to a new array. */
    public byte[] digest() {
        byte[] out = new byte[Blake3Flags.OUT_LEN];
        finalizeTo(out, 0, out.length);
        return out;
    }

    /** Writes the first {@code outLen} output bytes to {@code out[outOff, outOff + outLen)}; state is kept. */
    public void finalizeTo(byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        rootNode(scratch.root);
        scratch.root.write(0, out, outOff, outLen);
    }

    /** An independent reader of the extended output of the input so far; the hasher may go on. */
    public Blake3OutputReader finalizeXof() {
        Blake3Output root = new Blake3Output();
        rootNode(root);
        return new Blake3OutputReader(root);
    }

    /** Fills {@code root} with the root node of the input so far, without changing this hasher's state. */
    private void rootNode(Blake3Output root) {
        if (cvStackLen == 0) {
            // The current chunk is the whole message.
            byte[] pad = scratch.pad;
            System.arraycopy(chunkBlock, 0, pad, 0, chunkBlockLen);
            Arrays.fill(pad, chunkBlockLen, BLOCK_LEN, (byte) 0);
            root.setChunkBlock(chunkCv, pad, chunkBlockLen, chunkEndFlags());
            return;
        }
        // The stack is merged down to the bits of chunkCounter (end of update), and the chunk holds at least one
        // byte: roll up right to left, the last parent being the root.
        int[] work = scratch.stack;
        System.arraycopy(cvStack, 0, work, 0, cvStackLen * 8);
        chunkOutputCv(work, cvStackLen * 8);
        for (int depth = cvStackLen + 1; depth > 2; depth--) {
            JavaBlake3Kernel.parentCv(key, flags, work, (depth - 2) * 8);
        }
        root.setParent(key, work, 0, flags);
    }
}
