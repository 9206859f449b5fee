package dev.quiver.transport.blob;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestWindowTest {

    private static final long MIB = 1 << 20;

    @Test
    void aBatchFillsTheWindowUpToEitherLimit() {
        RequestWindow w = new RequestWindow(256, 32 * MIB);
        assertTrue(w.hasRoom(0, 0));
        assertTrue(w.hasRoom(255, 32 * MIB - 1));
        assertFalse(w.hasRoom(256, 0), "request count limit");
        assertFalse(w.hasRoom(10, 32 * MIB), "byte limit");
    }

    @Test
    void aFullWindowIsRefilledOnlyAfterAQuarterOfItsRequestsDrained() {
        RequestWindow w = new RequestWindow(256, 32 * MIB);
        assertFalse(w.canRefill(255, 0), "one answer done is not a batch");
        assertFalse(w.canRefill(193, 0));
        assertTrue(w.canRefill(192, 0));
        assertTrue(w.canRefill(0, 0));
    }

    @Test
    void aWindowFullOfBytesIsRefilledAfterAQuarterOfItsBytesDrained() {
        RequestWindow w = new RequestWindow(256, 32 * MIB);
        assertFalse(w.canRefill(4, 32 * MIB));
        assertFalse(w.canRefill(3, 24 * MIB + 1));
        assertTrue(w.canRefill(3, 24 * MIB));
    }

    @Test
    void aOneRequestWindowRefillsWhenItsRequestIsAnswered() {
        RequestWindow w = new RequestWindow(1, 16 * 1024);
        assertTrue(w.hasRoom(0, 0));
        assertFalse(w.canRefill(1, 16 * 1024));
        assertTrue(w.canRefill(0, 0));
    }

    @Test
    void anEmptyWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RequestWindow(0, MIB));
        assertThrows(IllegalArgumentException.class, () -> new RequestWindow(4, 0));
    }
}
