package dev.quiver.tools.cmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picocli-free parser of plain {@code quiver hash} command lines: what it reads, and what it leaves to picocli. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HashOptionsTest {

    @Test
    void readsEveryPlainForm() {
        HashOptions o = HashOptions.parseSimple(List.of("--threads", "3", "--length=100", "--no-names", "--no-mmap",
                "--derive-key", "ctx one", "a", "-", "b"));
        assertNotNull(o);
        assertEquals(3, o.threads);
        assertEquals(100, o.length);
        assertTrue(o.noNames);
        assertTrue(o.noMmap);
        assertFalse(o.keyed);
        assertEquals("ctx one", o.deriveKeyContext);
        assertEquals(List.of("a", "-", "b"), o.files);

        HashOptions k = HashOptions.parseSimple(List.of("x", "--keyed", "--num-threads=0", "-l", "0"));
        assertNotNull(k);
        assertTrue(k.keyed);
        assertEquals(0, k.threads);
        assertEquals(0, k.length);
        assertEquals(List.of("x"), k.files);
    }

    @Test
    void defaultsMatchThePicocliCommand() {
        HashOptions o = HashOptions.parseSimple(List.of());
        assertNotNull(o);
        assertEquals(32, o.length);
        assertEquals(0, o.threads);
        assertNull(o.deriveKeyContext);
        assertEquals(List.of(), o.files);
    }

    @Test
    void afterDoubleDashEverythingIsAFile() {
        HashOptions o = HashOptions.parseSimple(List.of("--no-names", "--", "--keyed", "-x", "@y"));
        assertNotNull(o);
        assertFalse(o.keyed);
        assertEquals(List.of("--keyed", "-x", "@y"), o.files);
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(
                List.of("--help"), List.of("-h"), List.of("-V"), List.of("--unknown", "f"), List.of("-x"),
                List.of("@argfile"), List.of("--threads"), List.of("--threads", "-1"), List.of("--threads", "010"),
                List.of("--threads", "0x10"), List.of("--threads", "99999999999"), List.of("-l100"),
                List.of("--length", "+5"), List.of("--keyed", "--derive-key", "c", "f"),
                List.of("--no-names", "--no-names"), List.of("--threads", "1", "--num-threads", "2"),
                List.of("--keyed=true", "f"), List.of("--derive-key", "--keyed"), List.of("--derive-key", "@c"))) {
            assertNull(HashOptions.parseSimple(args), args.toString());
        }
    }
}
