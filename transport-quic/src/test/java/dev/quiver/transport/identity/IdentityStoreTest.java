package dev.quiver.transport.identity;

import dev.quiver.transport.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class IdentityStoreTest {
    @ParameterizedTest
    @EnumSource(KeyType.class)
    void createsKeyWithMode0600AndReloadsTheSameNodeId(KeyType type, @TempDir Path home) throws Exception {
        Path dir = home.resolve("config").resolve("quiver");
        NodeIdentity created = IdentityStore.loadOrCreate(dir, type);
        Path file = dir.resolve(IdentityStore.KEY_FILE);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file may be left behind");
        }

        NodeIdentity reloaded = IdentityStore.loadOrCreate(dir, type);
        assertEquals(created.nodeId(), reloaded.nodeId());
        assertEquals(type, reloaded.keyType());
        assertArrayEquals(created.privateKey().getEncoded(), reloaded.privateKey().getEncoded());
    }

    @Test
    void ed25519NodeIdIsTheRawPublicKey() {
        NodeIdentity identity = NodeIdentity.generate(KeyType.ED25519);
        byte[] spki = identity.certificate().getPublicKey().getEncoded();
        assertArrayEquals(Arrays.copyOfRange(spki, spki.length - 32, spki.length), identity.nodeId().toBytes());
        assertEquals(identity.nodeId(), NodeIds.fromPublicKey(identity.certificate().getPublicKey()));
        assertTrue(identity.certificate().getSubjectX500Principal().getName().contains(identity.nodeId().toString()));
    }

    @Test
    void concurrentFirstRunsAgreeOnOneKey(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<Future<NodeId>>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> IdentityStore.loadOrCreate(dir, KeyType.ED25519).nodeId()));
            }
            NodeId first = futures.getFirst().get();
            for (Future<NodeId> f : futures) {
                assertEquals(first, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsDamagedOrForeignFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(IdentityStore.KEY_FILE);
        Files.writeString(file, "hello");
        assertThrows(IdentityException.class, () -> IdentityStore.load(file));

        // Another node's public key paired with our private key must not load.
        String ours = IdentityStore.encode(NodeIdentity.generate(KeyType.ED25519));
        String theirs = IdentityStore.encode(NodeIdentity.generate(KeyType.ED25519));
        String mixed = ours.substring(0, ours.indexOf("-----BEGIN PUBLIC KEY-----"))
                + theirs.substring(theirs.indexOf("-----BEGIN PUBLIC KEY-----"));
        Files.writeString(file, mixed);
        IdentityException e = assertThrows(IdentityException.class, () -> IdentityStore.load(file));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());

        Files.write(file, new byte[64 * 1024]);
        assertThrows(IdentityException.class, () -> IdentityStore.load(file));
    }

    @Test
    void defaultDirectoryFollowsXdg() {
        assertEquals(Path.of("/x/quiver"), IdentityStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/x")));
        assertEquals(Path.of("/override"), IdentityStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/x",
                IdentityStore.DIR_ENV, "/override")));
        Path fallback = Path.of(System.getProperty("user.home"), ".config", "quiver");
        assertEquals(fallback, IdentityStore.defaultDirectory(Map.of()));
        assertEquals(fallback, IdentityStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "relative")));
    }
}
