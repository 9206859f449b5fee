package dev.quiver.tools.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's JSON is valid whatever the file names hold, and its numbers are in plain units. */
@Timeout(10)
class SummaryTest {

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        Summary s = new Summary(2_000_000_000L, 2_000_000_060L, 2.0, "ab".repeat(32),
                List.of(new Summary.Provider("node1", 2_000_000_060L, "done")),
                List.of(Path.of("/tmp/a \"quoted\"\\name\n\u0001 ☕.bin")));
        String json = s.json();
        assertTrue(json.contains("\"paths\":[\"/tmp/a \\\"quoted\\\"\\\\name\\n\\u0001 ☕.bin\"]"), json);
        assertTrue(json.contains("\"bytes\":2000000000,"), json);
        assertTrue(json.contains("\"goodput_bps\":8000000240,"), json);
        assertTrue(json.startsWith("{\"ok\":true,") && json.endsWith("]}"), json);
        assertEquals(-1, json.indexOf('\n'), "one line");
    }

    @Test
    void textSaysWhenPartWasResumed() {
        Summary s = new Summary(3L << 30, 1L << 30, 1.0, "cd".repeat(32), List.of(), List.of(Path.of("f")));
        assertTrue(s.text().contains("resumed: 2.00 GiB were already verified"), s.text());
        assertTrue(s.text().contains("8.59 Gbit/s"), s.text());
    }

    @Test
    void failureJsonCarriesTheExitCode() {
        String json = Summary.failureJson(new Failure(ExitCodes.NOT_FOUND, "no \"such\" blob", ""));
        assertEquals("{\"ok\":false,\"exit\":5,\"error\":\"no \\\"such\\\" blob\",\"hint\":\"\"}", json);
    }

    @Test
    void sizesUseBinaryUnitsAndRatesUseBits() {
        assertEquals("1023 B", Sizes.bytes(1023));
        assertEquals("1.50 KiB", Sizes.bytes(1536));
        assertEquals("1.00 GiB", Sizes.bytes(1L << 30));
        assertEquals("1.00 Gbit/s", Sizes.rate(125_000_000));
        assertEquals("80 Mbit/s", Sizes.rate(10_000_000));
        assertEquals("3:07", Sizes.duration(187));
        assertEquals("1:02:03", Sizes.duration(3723));
    }
}
