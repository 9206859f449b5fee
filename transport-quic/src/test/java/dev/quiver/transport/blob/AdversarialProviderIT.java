package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.QuiverNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cheating provider next to an honest one: the cheat is caught at the first group it spoils, the provider is
 * dropped and reported, and the download completes from the honest one.
 */
class AdversarialProviderIT {

    private static final int SIZE = 6 * 1024 * 1024 + 333;
    private static final DownloadOptions OPTIONS = DownloadOptions.DEFAULT
            .withStallTimeout(Duration.ofSeconds(2)).withUnits(16, 32, 1 << 20);

    @TempDir
    Path dir;
    private TransferFixture fx;

    @BeforeEach
    void setUp() {
        fx = new TransferFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @ParameterizedTest
    @EnumSource(Adversary.Mode.class)
    @Timeout(30)
    void aCheatIsDroppedAndTheHonestProviderCompletesTheDownload(Adversary.Mode mode) throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src"), SIZE, 11);
        BlobHash hash = store.importFile(src);
        QuiverNode bad = fx.node();
        Adversary adversary = Adversary.start(bad, store, mode, false);
        TransferFixture.Served honest = fx.serve(store);

        Path out = dir.resolve("out");
        // The cheat comes first, so it answers the probe (honestly) and is asked for ranges from the start.
        Transfer t = fx.downloader(OPTIONS).fetchBlob(hash, List.of(bad.ticket(), honest.ticket()), out, false);
        TransferResult r = TransferFixture.await(t, 25);

        TransferFixture.assertSameFile(src, out);
        assertEquals(List.of(bad.nodeId()), r.providersDropped());
        ProviderStatus cheat = t.status().providers().getFirst();
        assertEquals(bad.nodeId(), cheat.node());
        assertEquals(ProviderStatus.State.DROPPED, cheat.state());
        assertNotNull(cheat.reason());
        // Extra bytes are caught either as bytes beyond every request or as the next pipelined answer's garbage.
        List<String> expected = switch (mode) {
            case FLIP_BYTE -> List.of("fails BLAKE3 verification");
            case LIE_LENGTH -> List.of("LENGTH_MISMATCH");
            case EXTRA_BYTES -> List.of("more than was asked", "bad data");
            case STALL -> List.of("stalled");
        };
        assertTrue(expected.stream().anyMatch(cheat.reason()::contains), cheat.reason());
        assertEquals(ProviderStatus.State.DONE, t.status().providers().get(1).state());
        assertTrue(honest.provider().stats().bytesServed() > 0);
        if (mode == Adversary.Mode.FLIP_BYTE) {
            // Caught at the first spoilt group: it got at most one response's worth of requests answered before.
            assertTrue(adversary.requests.get() >= 2, "the cheat was asked for ranges");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Adversary.Mode.class, names = {"FLIP_BYTE", "LIE_LENGTH"})
    @Timeout(30)
    void aCheatAnsweringTheProbeIsDroppedBeforeAnythingIsWritten(Adversary.Mode mode) throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src"), 200_000, 12);
        BlobHash hash = store.importFile(src);
        QuiverNode bad = fx.node();
        Adversary.start(bad, store, mode, true);
        TransferFixture.Served honest = fx.serve(store);
        Path out = dir.resolve("out");
        Transfer t = fx.downloader(OPTIONS).fetchBlob(hash, List.of(bad.ticket(), honest.ticket()), out, false);
        TransferResult r = TransferFixture.await(t, 25);
        TransferFixture.assertSameFile(src, out);
        assertEquals(List.of(bad.nodeId()), r.providersDropped());
        assertEquals(List.of(honest.node().nodeId()), r.providersUsed());
    }

    @org.junit.jupiter.api.Test
    @Timeout(30)
    void onlyCheatsLeftFailsWithEveryReasonAndKeepsTheVerifiedPart() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src"), SIZE, 13);
        BlobHash hash = store.importFile(src);
        QuiverNode bad1 = fx.node();
        Adversary.start(bad1, store, Adversary.Mode.FLIP_BYTE, false);
        QuiverNode bad2 = fx.node();
        Adversary.start(bad2, store, Adversary.Mode.EXTRA_BYTES, false);
        Path out = dir.resolve("out");
        Transfer t = fx.downloader(OPTIONS).fetchBlob(hash, List.of(bad1.ticket(), bad2.ticket()), out, false);
        ProvidersExhaustedException e = assertThrows(ProvidersExhaustedException.class,
                () -> TransferFixture.await(t, 25));
        assertEquals(2, e.providers().size());
        for (ProviderStatus p : e.providers()) {
            assertEquals(ProviderStatus.State.DROPPED, p.state());
        }
        assertEquals(TransferState.FAILED, t.status().state());
        assertTrue(Files.exists(dir.resolve("out" + PartialBlob.PART_SUFFIX)), "the partial file stays");
        assertTrue(!Files.exists(out), "no file under the final name");
    }
}
