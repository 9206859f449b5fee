package dev.quiver.tools.cmd;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Hasher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * One {@code quiver hash} run over its {@link HashOptions}: BLAKE3 sums whose output is byte-identical to
 * {@code b3sum}'s. A file that cannot be read is reported on {@code err}, the others are still hashed, and the
 * exit status is 1.
 */
final class HashJob {
    private static final int READ_BUFFER_BYTES = 1 << 20;

    private final HashOptions options;

    HashJob(HashOptions options) {
        this.options = options;
    }

    /** Hashes every file and returns the exit status (0, 1 when a file failed, 2 for a bad option value). */
    int run(PrintWriter out, PrintWriter err) throws IOException {
        if (options.length < 0 || options.length > Integer.MAX_VALUE - 8) {
            err.println("quiver hash: --length must be between 0 and " + (Integer.MAX_VALUE - 8));
            return 2;
        }
        byte[] key = null;
        if (options.keyed) {
            if (options.files.isEmpty()) {
                err.println("quiver hash: --keyed reads the key from standard input, so name the FILEs to hash");
                return 2;
            }
            key = readKey(System.in, err);
            if (key == null) {
                return 1;
            }
        }
        int threadCount = options.threads > 0 ? options.threads : Runtime.getRuntime().availableProcessors();
        List<String> names = options.files.isEmpty() ? List.of("-") : options.files;
        int status = 0;
        ForkJoinPool pool = threadCount > 1 && !options.noMmap ? new ForkJoinPool(threadCount) : null;
        try {
            for (String name : names) {
                try {
                    byte[] digest = hashOne(name, key, threadCount, pool);
                    out.println(formatLine(HexFormat.of().formatHex(digest), name, options.noNames));
                } catch (IOException e) {
                    err.println("quiver hash: " + name + ": " + describe(e));
                    status = 1;
                }
                out.flush();
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return status;
    }

    private Blake3Hasher newHasher(byte[] key) {
        if (key != null) {
            return Blake3.newKeyedHasher(key);
        }
        if (options.deriveKeyContext != null) {
            return Blake3.newDeriveKeyHasher(options.deriveKeyContext);
        }
        return Blake3.newHasher();
    }

    private byte[] hashOne(String name, byte[] key, int threadCount, ForkJoinPool pool) throws IOException {
        byte[] digest = new byte[(int) options.length];
        if (name.equals("-")) {
            Blake3Hasher hasher = newHasher(key);
            updateFromStream(hasher, System.in);
            hasher.finalizeTo(digest, 0, digest.length);
            return digest;
        }
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new IOException("Is a directory");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (options.noMmap || size == 0 || !Files.isRegularFile(path)) {
                Blake3Hasher hasher = newHasher(key);
                updateFromChannel(hasher, channel);
                hasher.finalizeTo(digest, 0, digest.length);
                return digest;
            }
            // Shared, not confined: the parallel hash reads the mapping from the pool's threads.
            try (Arena arena = Arena.ofShared()) {
                MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                int[] keyWords = keyWords(key);
                int flags = flags(key);
                if (pool == null) {
                    Blake3.kernel().hash(keyWords, flags, mapped, digest, 0, digest.length);
                } else {
                    Blake3.hashParallel(keyWords, flags, mapped, pool, threadCount, digest, 0, digest.length);
                }
            }
        }
        return digest;
    }

    private int[] keyWords(byte[] key) {
        if (key != null) {
            return Blake3.keyWords(key);
        }
        return options.deriveKeyContext != null
                ? Blake3.deriveKeyContextWords(options.deriveKeyContext) : Blake3.ivWords();
    }

    private int flags(byte[] key) {
        if (key != null) {
            return Blake3Flags.KEYED_HASH;
        }
        return options.deriveKeyContext != null ? Blake3Flags.DERIVE_KEY_MATERIAL : 0;
    }

    private static void updateFromStream(Blake3Hasher hasher, InputStream in) throws IOException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            hasher.update(buffer, 0, n);
        }
    }

    private static void updateFromChannel(Blake3Hasher hasher, FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        while (channel.read(buffer.clear()) >= 0) {
            hasher.update(buffer.array(), 0, buffer.position());
        }
    }

    /** Reads exactly 32 key bytes from {@code in}, as b3sum does; reports and returns null otherwise. */
    private static byte[] readKey(InputStream in, PrintWriter err) throws IOException {
        byte[] key = in.readNBytes(33);
        if (key.length != 32) {
            err.println(key.length < 32
                    ? "quiver hash: expected 32 key bytes from stdin, found " + key.length
                    : "quiver hash: read more than 32 key bytes from stdin");
            return null;
        }
        return key;
    }

    /**
     * One output line as b3sum writes it: a name with a backslash or newline is escaped ({@code \\}, {@code \n})
     * and the line then starts with a backslash, so that every line stays parseable.
     */
    static String formatLine(String hex, String name, boolean noNames) {
        if (noNames) {
            return hex;
        }
        if (name.indexOf('\\') < 0 && name.indexOf('\n') < 0) {
            return hex + "  " + name;
        }
        return "\\" + hex + "  " + name.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
