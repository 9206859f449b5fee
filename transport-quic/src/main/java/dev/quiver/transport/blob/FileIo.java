package dev.quiver.transport.blob;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Positional whole reads and writes, fsync of files and directories, atomic renames: the blob store's disk rules. */
final class FileIo {

    private FileIo() {
    }

    /** Reads exactly {@code dst.remaining()} bytes at {@code position}; EOF before that is an {@link EOFException}. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new EOFException("file ends at " + pos + ", needed " + dst.remaining() + " more bytes");
            }
            pos += n;
        }
    }

    /** Writes all of {@code src} at {@code position}. */
    static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    /** Makes a directory's entries (creations, renames) durable; POSIX needs an fsync of the directory itself. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Renames {@code from} to {@code to} atomically (never a half file under {@code to}) and makes it durable;
     * replaces an existing {@code to} only when {@code replace}.
     */
    static void atomicMove(Path from, Path to, boolean replace) throws IOException {
        if (replace) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            if (Files.exists(to)) {
                throw new java.nio.file.FileAlreadyExistsException(to.toString());
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        syncDirectory(to.toAbsolutePath().getParent());
    }
}
