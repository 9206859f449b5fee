package dev.quiver.transport.blob;

import dev.quiver.codec.blake3.Blake3Tree;
import dev.quiver.codec.blob.BlobHash;
import dev.quiver.codec.blob.RangeSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ReadAheadSource} returns exactly the wrapped source's bytes, with few reads of it. */
class ReadAheadSourceTest {
    private static final int LENGTH = 40 << 20; // 2560 groups, 2559 parents: three parent blocks

    @Test
    void servesTheSourcesDataAndParentsInAnyOrder() throws IOException {
        CountingSource source = source(LENGTH);
        ReadAheadSource readAhead = new ReadAheadSource().reset(source);
        long parents = Blake3Tree.of(LENGTH).outboardSize() / 64;
        Random random = new Random(7);
        byte[] expected = new byte[64];
        byte[] actual = new byte[64];
        for (int i = 0; i < 5000; i++) {
            long index = i < 2559 ? i : (long) (random.nextDouble() * parents); // in order, then anywhere
            source.readParent(index, expected, 0);
            readAhead.readParent(index, actual, 0);
            assertArrayEquals(expected, actual, "parent " + index);
        }
        byte[] want = new byte[16 << 10];
        byte[] got = new byte[16 << 10];
        for (int i = 0; i < 200; i++) {
            long offset = (long) (random.nextDouble() * (LENGTH - want.length));
            source.readData(offset, want, 0, want.length);
            readAhead.readData(offset, got, 0, got.length);
            assertArrayEquals(want, got, "data at " + offset);
        }
    }

    @Test
    void readsParentsInOrderOneBlockAtATime() throws IOException {
        CountingSource source = source(LENGTH);
        ReadAheadSource readAhead = new ReadAheadSource().reset(source);
        byte[] parent = new byte[64];
        for (long index = 0; index < 2559; index++) {
            readAhead.readParent(index, parent, 0);
        }
        assertEquals(0, source.parentReads, "no single-parent reads");
        assertEquals(3, source.blockReads, "2559 parents in blocks of 1024");
    }

    @Test
    void aParentOutsideTheOutboardIsTheSourcesError() throws IOException {
        ReadAheadSource readAhead = new ReadAheadSource().reset(source(LENGTH));
        assertThrows(IndexOutOfBoundsException.class, () -> readAhead.readParent(2559, new byte[64], 0));
    }

    private static CountingSource source(int length) throws IOException {
        byte[] bytes = new byte[length];
        new Random(1).nextBytes(bytes);
        MemoryBlobStore store = new MemoryBlobStore();
        return new CountingSource(store.open(store.importBytes(bytes)));
    }

    /** Counts the reads that reach the store. */
    private static final class CountingSource implements RangeSource {
        private final RangeSource inner;
        int parentReads;
        int blockReads;

        CountingSource(RangeSource inner) {
            this.inner = inner;
        }

        @Override
        public BlobHash hash() {
            return inner.hash();
        }

        @Override
        public long length() {
            return inner.length();
        }

        @Override
        public void readData(long offset, byte[] dst, int off, int len) throws IOException {
            inner.readData(offset, dst, off, len);
        }

        @Override
        public void readParent(long index, byte[] dst, int off) throws IOException {
            parentReads++;
            inner.readParent(index, dst, off);
        }

        @Override
        public void readParents(long first, int count, byte[] dst, int off) throws IOException {
            blockReads++;
            for (int i = 0; i < count; i++) {
                inner.readParent(first + i, dst, off + 64 * i);
            }
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
