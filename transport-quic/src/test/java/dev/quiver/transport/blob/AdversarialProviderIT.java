package dev.quiver.transport.blob;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.QuiverNode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    @RegisterExtension
    final TransferFixture fx = new TransferFixture();

    @ParameterizedTest
    @EnumSource(value = Adversary.Mode.class, names = {"FLIP_BYTE", "LIE_LENGTH", "EXTRA_BYTES", "STALL"})
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
            default -> throw new AssertionError(mode);
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
    void twoProvidersShareTheWorkByRateAndStatusShowsBoth() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src"), 12 * 1024 * 1024, 14);
        BlobHash hash = store.importFile(src);
        TransferFixture.Served fast = fx.serve(store);
        QuiverNode slowNode = fx.node();
        Adversary slow = Adversary.start(slowNode, store, Adversary.Mode.SLOW, false);
        BlobDownloader d = fx.downloader(OPTIONS);
        Transfer t = d.fetchBlob(hash, List.of(fast.ticket(), slowNode.ticket()), dir.resolve("out"), false);
        boolean sawBothActive = false;
        while (!t.result().isDone()) {
            TransferStatus s = t.status();
            sawBothActive |= s.providers().size() == 2 && s.state() == TransferState.RUNNING
                    && s.providers().stream().allMatch(p -> p.state() == ProviderStatus.State.ACTIVE);
            Thread.sleep(5);
        }
        TransferResult r = TransferFixture.await(t, 25);
        TransferFixture.assertSameFile(src, dir.resolve("out"));
        assertTrue(sawBothActive, "status listed both providers as active while running");
        assertEquals(List.of(hash), d.transfers().stream().map(TransferStatus::hash).toList());
        assertEquals(2, r.providersUsed().size(), "both served ranges");
        long fastBytes = fast.provider().stats().bytesServed();
        long slowBytes = slow.bytesSent.get();
        assertTrue(fastBytes > 2 * slowBytes, "the fast provider took more: " + fastBytes + " vs " + slowBytes);
        assertTrue(r.providersDropped().isEmpty());
    }

    @org.junit.jupiter.api.Test
    @Timeout(30)
    void aBrokenConnectionIsRetriedWithBackoffThenDropped() throws Exception {
        FsBlobStore store = fx.store();
        Path src = TransferFixture.randomFile(dir.resolve("src"), SIZE, 15);
        BlobHash hash = store.importFile(src);
        QuiverNode broken = fx.node();
        Adversary resets = Adversary.start(broken, store, Adversary.Mode.RESET, false);
        long t0 = System.nanoTime();
        Transfer t = fx.downloader(OPTIONS.withRetries(2, Duration.ofMillis(100)))
                .fetchBlob(hash, List.of(broken.ticket()), dir.resolve("out"), false);
        ProvidersExhaustedException e = assertThrows(ProvidersExhaustedException.class,
                () -> TransferFixture.await(t, 25));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ProviderStatus b = e.providers().getFirst();
        assertEquals(ProviderStatus.State.DROPPED, b.state());
        assertTrue(b.reason().contains("gave up after 2 retries"), b.reason());
        assertEquals(1 + 3, resets.requests.get(), "the probe, one attempt and two retries");
        assertTrue(ms >= 100 + 200, "backed off 100 ms, then 200 ms: " + ms + " ms");
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
