package dev.quiver.codec.gf;

import dev.quiver.codec.testing.GfKernelConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(30)
class Gf256Test {

    @Test
    void everyProductMatchesTheBitwiseDefinition() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertEquals(GfKernelConformance.naiveMul(a, b), Gf256.mul(a, b), a + "·" + b);
            }
        }
    }

    @Test
    void knownProductsFromFips197() {
        // FIPS 197 §4.2: {57} • {83} = {c1}; §4.2.1: {57} • {13} = {fe}.
        assertEquals(0xC1, Gf256.mul(0x57, 0x83));
        assertEquals(0xFE, Gf256.mul(0x57, 0x13));
        // The AES S-box is built on inverses: inv({53}) = {ca} (FIPS 197 §5.1.1 example byte).
        assertEquals(0xCA, Gf256.inv(0x53));
    }

    @Test
    void everyNonZeroElementHasAnInverse() {
        for (int a = 1; a < 256; a++) {
            assertEquals(1, Gf256.mul(a, Gf256.inv(a)), "a=" + a);
            assertEquals(a, Gf256.div(1, Gf256.inv(a)));
        }
        assertThrows(ArithmeticException.class, () -> Gf256.inv(0));
        assertThrows(ArithmeticException.class, () -> Gf256.div(5, 0));
        assertThrows(ArithmeticException.class, () -> Gf256.log(0));
    }

    @Test
    void fieldAxiomsOnRandomValues() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 100_000; n++) {
            int a = random.nextInt(256);
            int b = random.nextInt(256);
            int c = random.nextInt(256);
            assertEquals(Gf256.mul(a, Gf256.add(b, c)), Gf256.add(Gf256.mul(a, b), Gf256.mul(a, c)), "distributive");
            assertEquals(Gf256.mul(Gf256.mul(a, b), c), Gf256.mul(a, Gf256.mul(b, c)), "associative");
            assertEquals(Gf256.mul(a, b), Gf256.mul(b, a), "commutative");
            assertEquals(a, Gf256.mul(a, 1));
            assertEquals(0, Gf256.mul(a, 0));
            if (b != 0) {
                assertEquals(a, Gf256.mul(Gf256.div(a, b), b), "division undoes multiplication");
            }
        }
    }

    @Test
    void generatorThreeHasFullOrderAndLogInvertsExp() {
        boolean[] seen = new boolean[256];
        for (int i = 0; i < 255; i++) {
            int x = Gf256.exp(i);
            assertEquals(false, seen[x], "0x03 repeats at exponent " + i);
            seen[x] = true;
            assertEquals(i, Gf256.log(x));
        }
        assertEquals(false, seen[0]);
    }

    @Test
    void powAgreesWithRepeatedMultiplication() {
        for (int a = 0; a < 256; a++) {
            int p = 1;
            for (int e = 0; e < 520; e++) {
                assertEquals(p, Gf256.pow(a, e), a + "^" + e);
                p = Gf256.mul(p, a);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Gf256.pow(3, -1));
    }

    @Test
    void lookupTablesMatchProducts() {
        for (int c = 0; c < 256; c++) {
            byte[] row = Gf256.productRow(c);
            byte[] nibbles = Gf256.nibbleTables(c);
            assertEquals(Gf256.NIBBLE_TABLE_BYTES, nibbles.length);
            for (int x = 0; x < 256; x++) {
                assertEquals(Gf256.mul(c, x), row[x] & 0xFF);
                assertEquals(Gf256.mul(c, x), (nibbles[x & 15] ^ nibbles[16 + (x >>> 4)]) & 0xFF);
            }
        }
    }

    @Test
    void elementsOutsideTheFieldAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Gf256.mul(256, 1));
        assertThrows(IllegalArgumentException.class, () -> Gf256.mul(1, -1));
        assertThrows(IllegalArgumentException.class, () -> Gf256.add(0, 512));
        assertThrows(IllegalArgumentException.class, () -> Gf256.nibbleTables(256));
        assertThrows(IllegalArgumentException.class, () -> Gf256.exp(255));
    }
}
