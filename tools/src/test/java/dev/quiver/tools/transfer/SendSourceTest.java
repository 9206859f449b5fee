package dev.quiver.tools.transfer;

import dev.quiver.codec.blob.ManifestEntry;
import dev.quiver.codec.blob.ManifestReader;
import dev.quiver.transport.blob.FsBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What `quiver send` imports: a file as a one-entry collection, a directory under its own name. */
@Timeout(30)
class SendSourceTest {

    @TempDir
    Path dir;

    @Test
    void fileBecomesOneEntryCollectionNamedAfterItWithItsMode() throws Exception {
        Path file = Files.writeString(dir.resolve("Grüße.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        SendSource source = SendSource.importPath(store, file);
        assertEquals("Grüße.sh", source.name());
        assertEquals(1, source.files());
        assertEquals(10, source.totalBytes());
        List<ManifestEntry> entries = entries(store, source);
        assertEquals(1, entries.size());
        assertEquals("Grüße.sh", entries.getFirst().path());
        assertEquals(0750, entries.getFirst().mode());
        assertEquals(10, store.size(entries.getFirst().hash()));
    }

    @Test
    void directoryEntriesStartWithItsName() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos/2026"));
        Files.write(photos.resolve("b.jpg"), new byte[100]);
        Files.write(photos.getParent().resolve("a.jpg"), new byte[7]);
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        SendSource source = SendSource.importPath(store, photos.getParent());
        assertEquals("photos", source.name());
        assertEquals(2, source.files());
        assertEquals(107, source.totalBytes());
        assertEquals(List.of("photos/2026/b.jpg", "photos/a.jpg"),
                entries(store, source).stream().map(ManifestEntry::path).sorted().toList());
    }

    @Test
    void missingPathIsNoSuchFile() throws Exception {
        FsBlobStore store = FsBlobStore.open(dir.resolve("store"));
        assertThrows(NoSuchFileException.class, () -> SendSource.importPath(store, dir.resolve("nope")));
    }

    private static List<ManifestEntry> entries(FsBlobStore store, SendSource source) throws Exception {
        List<ManifestEntry> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(store.dataPath(source.collection()))) {
            ManifestReader reader = new ManifestReader(in);
            for (ManifestEntry e = reader.next(); e != null; e = reader.next()) {
                entries.add(e);
            }
        }
        return entries;
    }
}
