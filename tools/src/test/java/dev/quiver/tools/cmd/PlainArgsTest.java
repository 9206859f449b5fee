package dev.quiver.tools.cmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picocli-free reader of plain {@code send}/{@code recv} command lines: what it reads, what it leaves to picocli. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlainArgsTest {

    private static final Set<String> FLAGS = Set.of("--force", "--json");
    private static final Map<String, String> VALUES = Map.of("-o", "--output", "--output", "--output",
            "--timeout", "--timeout");

    @Test
    void readsFlagsValuesAndPositionals() {
        PlainArgs a = PlainArgs.parse(List.of("t1", "-o", "out dir", "--json", "--timeout=7", "t2"), FLAGS, VALUES);
        assertNotNull(a);
        assertEquals(List.of("t1", "t2"), a.positionals());
        assertEquals("out dir", a.value("--output"));
        assertEquals("7", a.value("--timeout"));
        assertTrue(a.flag("--json"));
        assertFalse(a.flag("--force"));

        PlainArgs b = PlainArgs.parse(List.of("--output=x", "--", "--force", "-o"), FLAGS, VALUES);
        assertNotNull(b);
        assertEquals("x", b.value("--output"));
        assertFalse(b.flag("--force"));
        assertEquals(List.of("--force", "-o"), b.positionals());
    }

    @Test
    void aLoneDashIsAPositionalAsInPicocli() {
        PlainArgs a = PlainArgs.parse(List.of("-", "t"), FLAGS, VALUES);
        assertNotNull(a);
        assertEquals(List.of("-", "t"), a.positionals());
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(
                List.of("--help"), List.of("-h", "t"), List.of("-V"), List.of("--unknown", "t"), List.of("-x"),
                List.of("@argfile"), List.of("-o"), List.of("-o", "--json", "t"), List.of("-o", "@x", "t"),
                List.of("-o", "", "t"), List.of("--json", "--json", "t"), List.of("-o", "a", "--output", "b", "t"),
                List.of("--json=true", "t"), List.of("-oDIR", "t"))) {
            assertNull(PlainArgs.parse(args, FLAGS, VALUES), args.toString());
        }
    }

    @Test
    void plainIntReadsOnlyPlainDecimals() {
        assertEquals(0, PlainArgs.plainInt("0"));
        assertEquals(30, PlainArgs.plainInt("30"));
        for (String text : new String[] {"", "-1", "+1", "010", "0x10", "1e3", "9999999999", " 1"}) {
            assertEquals(-1, PlainArgs.plainInt(text), text);
        }
    }

    @Test
    void recvAndSendHandOddLinesToPicocli() {
        PrintWriter out = new PrintWriter(new StringWriter());
        // Neither runs anything for these: they return null and picocli prints its help or its error.
        assertNull(RecvCommand.runSimple(List.of(), out, out));
        assertNull(RecvCommand.runSimple(List.of("--help"), out, out));
        assertNull(RecvCommand.runSimple(List.of("--timeout", "-5", "t"), out, out));
        assertNull(RecvCommand.runSimple(List.of("--timeout", "ten", "t"), out, out));
        assertNull(SendCommand.runSimple(List.of(), out, out));
        assertNull(SendCommand.runSimple(List.of("a", "b"), out, out));
        assertNull(SendCommand.runSimple(List.of("--relay", "qvx", "a"), out, out));
    }
}
