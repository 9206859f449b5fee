package dev.quiver.codec.rlnc;

import dev.quiver.codec.blake3.Blake3;
import dev.quiver.codec.gf.Gf256;
import dev.quiver.codec.gf.GfKernel;
import dev.quiver.codec.gf.GfKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class FragmentsTest {

    static List<GfKernel> tiers() {
        return GfKernels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void everyKSubsetOfEightRestoresTheBlob(GfKernel kernel) throws Exception {
        byte[] blob = bytes(new SplittableRandom(20), 1001);
        List<Fragment> fragments = Fragments.split(blob, 4, 8, Blake3.hash(blob), kernel);
        assertEquals(8, fragments.size());
        int subsets = 0;
        for (int mask = 0; mask < 256; mask++) {
            if (Integer.bitCount(mask) != 4) {
                continue;
            }
            List<Fragment> some = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if ((mask >>> i & 1) != 0) {
                    some.add(fragments.get(i));
                }
            }
            assertArrayEquals(blob, Fragments.restore(some, Blake3::hash, kernel), "subset " + Integer.toBinaryString(mask));
            subsets++;
        }
        assertEquals(70, subsets);
    }

    @Test
    void randomKSubsetsOfLargerCodesRestoreThroughTheWireForm() throws Exception {
        SplittableRandom random = new SplittableRandom(21);
        Random shuffler = new Random(21);
        for (int[] shape : new int[][] {{1, 1}, {1, 3}, {10, 16}, {3, 3}, {17, 40}, {200, 256}}) {
            int k = shape[0];
            int n = shape[1];
            for (int len : new int[] {0, 1, k - 1, k, 5 * k + 3, 10_000}) {
                if (len < 0) {
                    continue;
                }
                byte[] blob = bytes(random, len);
                List<byte[]> stored = new ArrayList<>();
                for (Fragment f : Fragments.split(blob, k, n)) {
                    stored.add(FragmentCodec.encode(f));
                }
                for (int attempt = 0; attempt < 6; attempt++) {
                    Collections.shuffle(stored, shuffler);
                    List<Fragment> some = new ArrayList<>();
                    for (byte[] b : stored.subList(0, k)) {
                        some.add(FragmentCodec.parse(b));
                    }
                    assertArrayEquals(blob, Fragments.restore(some), "k=" + k + " n=" + n + " len=" + len);
                }
            }
        }
    }

    @Test
    void kMinusOneFragmentsFailClearly() {
        byte[] blob = bytes(new SplittableRandom(22), 5000);
        List<Fragment> fragments = Fragments.split(blob, 6, 9);
        List<Fragment> tooFew = new ArrayList<>(fragments.subList(2, 7));
        tooFew.add(fragments.get(3)); // a duplicate does not count twice
        InsufficientFragmentsException e = assertThrows(InsufficientFragmentsException.class,
                () -> Fragments.restore(tooFew));
        assertTrue(e.getMessage().contains("need 6") && e.getMessage().contains("have 5"), e.getMessage());
        assertThrows(InsufficientFragmentsException.class, () -> Fragments.restore(List.of()));
    }

    @Test
    void aCorruptedFragmentIsCaughtByTheBlake3Check() throws Exception {
        byte[] blob = bytes(new SplittableRandom(23), 4096);
        List<Fragment> fragments = Fragments.split(blob, 4, 6);
        assertArrayEquals(Blake3.hash(blob), fragments.getFirst().blobHash());
        for (int victim : new int[] {0, 3, 5}) {
            Fragment good = fragments.get(victim);
            byte[] payload = good.payload().clone();
            payload[payload.length / 2] ^= 0x01;
            Fragment bad = new Fragment(good.k(), good.n(), good.index(), good.blobLength(), good.blobHash(), payload);
            List<Fragment> exactlyK = new ArrayList<>();
            exactlyK.add(bad);
            for (Fragment f : fragments) {
                if (f.index() != victim && exactlyK.size() < 4) {
                    exactlyK.add(f);
                }
            }
            CorruptFragmentException e = assertThrows(CorruptFragmentException.class, () -> Fragments.restore(exactlyK));
            assertTrue(e.getMessage().contains("BLAKE3"), e.getMessage());
            // With a spare, the one bad fragment is routed around.
            List<Fragment> withSpare = new ArrayList<>(fragments);
            withSpare.set(victim, bad);
            assertArrayEquals(blob, Fragments.restore(withSpare));
        }
    }

    @Test
    void fragmentsOfDifferentBlobsAreRefused() {
        List<Fragment> a = Fragments.split(new byte[] {1, 2, 3, 4}, 2, 3);
        List<Fragment> b = Fragments.split(new byte[] {5, 6, 7, 8}, 2, 3);
        assertThrows(CorruptFragmentException.class, () -> Fragments.restore(List.of(a.get(0), b.get(1))));
    }

    @Test
    void parityRowsAreTheDocumentedCauchyMatrix() {
        byte[] c = Fragments.cauchy(3, 5);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(1, Gf256.mul(c[i * 3 + j] & 0xFF, (3 + i) ^ j));
            }
        }
    }

    @Test
    void fragmentWireBytesAndGarbage() throws Exception {
        String hash = "00".repeat(32);
        byte[] wire = HexFormat.of().parseHex(""
                + "51564647"           // magic "QVFG"
                + "01"                 // version 1
                + "0002"               // k = 2
                + "0003"               // n = 3
                + "0002"               // index 2 (parity)
                + "0000000000000003"   // blob length 3
                + "00000002"           // fragment length ceil(3 / 2) = 2
                + hash                 // blob hash
                + "abcd");             // payload
        Fragment f = FragmentCodec.parse(wire);
        assertEquals(2, f.index());
        assertArrayEquals(wire, FragmentCodec.encode(f));
        assertMalformed("magic", "00" + HexFormat.of().formatHex(wire).substring(2));
        assertMalformed("version 9", "5156464709" + "0002" + "0003" + "0002" + "0000000000000003" + "00000002" + hash + "abcd");
        assertMalformed("k = 0", "5156464701" + "0000" + "0003" + "0002" + "0000000000000003" + "00000002" + hash + "abcd");
        assertMalformed("n = 257", "5156464701" + "0002" + "0101" + "0002" + "0000000000000003" + "00000002" + hash + "abcd");
        assertMalformed("index 3", "5156464701" + "0002" + "0003" + "0003" + "0000000000000003" + "00000002" + hash + "abcd");
        assertMalformed("blob length 18446744073709551615", "5156464701" + "0002" + "0003" + "0002" + "ffffffffffffffff"
                + "00000002" + hash + "abcd");
        assertMalformed("fragment length 4294967295", "5156464701" + "0002" + "0003" + "0002" + "0000000000000003"
                + "ffffffff" + hash + "abcd");
        assertMalformed("truncated payload", "5156464701" + "0002" + "0003" + "0002" + "0000000000000003" + "00000002" + hash + "ab");
        assertMalformed("trailing bytes", "5156464701" + "0002" + "0003" + "0002" + "0000000000000003" + "00000002" + hash + "abcdef");
        assertMalformed("truncated header", "515646");
    }

    @Test
    void randomBytesOnlyEverGiveTheTypedException() {
        SplittableRandom random = new SplittableRandom(24);
        byte[] valid = FragmentCodec.encode(Fragments.split(bytes(random, 100), 3, 5).get(4));
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] input = valid.clone();
            input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
            if (i % 3 == 0) {
                input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 3));
            }
            try {
                FragmentCodec.parse(input);
            } catch (MalformedFragmentException e) {
                refused++;
            }
        }
        assertTrue(refused > 10_000, refused + " refused");
    }

    private static void assertMalformed(String part, String hex) {
        byte[] wire = HexFormat.of().parseHex(hex);
        MalformedFragmentException e = assertThrows(MalformedFragmentException.class, () -> FragmentCodec.parse(wire));
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
