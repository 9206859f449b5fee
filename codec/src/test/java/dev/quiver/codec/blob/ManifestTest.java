package dev.quiver.codec.blob;

import dev.quiver.codec.blob.InvalidManifestException.Reason;
import dev.quiver.codec.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ManifestTest {

    @TempDir
    Path dir;

    private static BlobHash hashFor(long i) {
        byte[] h = new byte[32];
        ByteBuffer.wrap(h).putLong(i).putLong(i * 31);
        return new BlobHash(h);
    }

    /** Entry i of a 100 000-file tree: 100 directories of 1000 files, some names non-ASCII. */
    private static ManifestEntry entry(int i) {
        String name = String.format("dir-%02d/%s-%04d.bin", i / 1000, i % 7 == 0 ? "größe-ファイル" : "f", i % 1000);
        return new ManifestEntry(name, i * 1000L, hashFor(i), i % 2 == 0 ? 0644 : 0755);
    }

    @Test
    void hundredThousandEntriesStreamThroughAFile() throws Exception {
        int n = 100_000;
        List<ManifestEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(entry(i));
        }
        entries.sort((a, b) -> ManifestPaths.compare(a.path().getBytes(StandardCharsets.UTF_8),
                b.path().getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("manifest");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            ManifestWriter w = new ManifestWriter(out);
            for (ManifestEntry e : entries) {
                w.add(e);
            }
            w.finish();
        }
        try (InputStream in = Files.newInputStream(file)) {
            ManifestReader r = new ManifestReader(in);
            for (ManifestEntry e : entries) {
                assertEquals(e, r.next());
            }
            assertNull(r.next());
            assertEquals(n, r.count());
        }
    }

    /** Raw manifest bytes with the given paths, bypassing the writer's checks, as a malicious peer would send. */
    private static byte[] raw(String... paths) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        b.put(new byte[] {'Q', 'V', 'C', 'M', 1});
        WireWriter w = new WireWriter(b);
        for (String p : paths) {
            byte[] pb = p.getBytes(StandardCharsets.UTF_8);
            w.writeVarint(pb.length);
            b.put(pb);
            w.writeVarint(5);
            b.put(new byte[32]);
            w.writeVarint(0644);
        }
        w.writeVarint(0).writeVarint(paths.length);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static InvalidManifestException readAll(byte[] bytes) {
        return assertThrows(InvalidManifestException.class, () -> {
            ManifestReader r = new ManifestReader(new ByteArrayInputStream(bytes));
            while (r.next() != null) {
                // drain
            }
        });
    }

    @Test
    void maliciousPathsAreRefusedByReaderAndWriter() throws Exception {
        Map<String[], Reason> cases = Map.ofEntries(
                Map.entry(new String[] {"../etc/passwd"}, Reason.DOT_SEGMENT),
                Map.entry(new String[] {"a/../../b"}, Reason.DOT_SEGMENT),
                Map.entry(new String[] {"a/./b"}, Reason.DOT_SEGMENT),
                Map.entry(new String[] {".."}, Reason.DOT_SEGMENT),
                Map.entry(new String[] {"/etc/passwd"}, Reason.ABSOLUTE_PATH),
                Map.entry(new String[] {"a//b"}, Reason.EMPTY_SEGMENT),
                Map.entry(new String[] {"a/"}, Reason.EMPTY_SEGMENT),
                Map.entry(new String[] {"a\0b"}, Reason.FORBIDDEN_CHARACTER),
                Map.entry(new String[] {"a\\..\\b"}, Reason.FORBIDDEN_CHARACTER),
                Map.entry(new String[] {"x", "x"}, Reason.DUPLICATE),
                Map.entry(new String[] {"b", "a"}, Reason.NOT_CANONICAL_ORDER),
                Map.entry(new String[] {"a", "a/b"}, Reason.FILE_DIRECTORY_CLASH),
                Map.entry(new String[] {"s".repeat(256)}, Reason.TOO_LONG));
        for (var c : cases.entrySet()) {
            assertEquals(c.getValue(), readAll(raw(c.getKey())).reason(), Arrays.toString(c.getKey()));
            ManifestWriter w = new ManifestWriter(new ByteArrayOutputStream());
            InvalidManifestException e = assertThrows(InvalidManifestException.class, () -> {
                for (String p : c.getKey()) {
                    w.add(new ManifestEntry(p, 1, hashFor(1), 0644));
                }
            });
            assertEquals(c.getValue(), e.reason(), "writer, " + Arrays.toString(c.getKey()));
        }
        // ".." hidden as the last of many good entries is still refused (reading to the end before writing).
        assertEquals(Reason.DOT_SEGMENT, readAll(raw("a", "b", "c/d", "c/e", "../x")).reason());
        // A path that is not UTF-8.
        byte[] bad = raw("ab");
        bad[6] = (byte) 0xC3;
        bad[7] = (byte) 0x28;
        assertEquals(Reason.BAD_ENCODING, readAll(bad).reason());
        // A Java string with an unpaired surrogate cannot be written.
        ManifestWriter w = new ManifestWriter(new ByteArrayOutputStream());
        assertEquals(Reason.BAD_ENCODING, assertThrows(InvalidManifestException.class,
                () -> w.add(new ManifestEntry("a\uD800", 1, hashFor(1), 0644))).reason());
    }

    @Test
    void truncationCountsCapsAndGarbageAreTyped() throws Exception {
        byte[] good = raw("a", "b/c", "b/d");
        ManifestReader ok = new ManifestReader(new ByteArrayInputStream(good));
        int n = 0;
        while (ok.next() != null) {
            n++;
        }
        assertEquals(3, n);
        for (int cut = 0; cut < good.length; cut++) {
            assertEquals(Reason.MALFORMED, readAll(Arrays.copyOf(good, cut)).reason(), "cut at " + cut);
        }
        assertEquals(Reason.MALFORMED, readAll(Arrays.copyOf(good, good.length + 1)).reason());
        byte[] wrongCount = good.clone();
        wrongCount[wrongCount.length - 1] = 4;
        assertEquals(Reason.MALFORMED, readAll(wrongCount).reason());
        // path length 2^30 - 1: refused before any allocation
        byte[] huge = {'Q', 'V', 'C', 'M', 1, (byte) 0xBF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertEquals(Reason.TOO_LONG, readAll(huge).reason());
        byte[] badMode = raw("a");
        int modeAt = 5 + 1 + 1 + 1 + 32;
        badMode[modeAt] = 0x50;
        badMode[modeAt + 1] = 0x00; // varint 0x1000 = 010000 > 0777
        assertEquals(Reason.MALFORMED, readAll(badMode).reason());
        assertEquals(Reason.MALFORMED, readAll("NOPE!".getBytes(StandardCharsets.US_ASCII)).reason());
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] g = new byte[rnd.nextInt(100)];
            rnd.nextBytes(g);
            System.arraycopy(good, 0, g, 0, Math.min(5, g.length));
            assertTrue(readAll(g).reason() != null);
        }
    }
}
