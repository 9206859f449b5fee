package dev.quiver.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The system properties the CLI's {@code main} sets before anything else runs. */
@Timeout(10)
class QuiverTest {

    private static final String[] KEYS = {Quiver.NETTY_JFR, Quiver.NETTY_LEAK_DETECTION};
    private final String[] saved = new String[KEYS.length];

    @BeforeEach
    void save() {
        for (int i = 0; i < KEYS.length; i++) {
            saved[i] = System.getProperty(KEYS[i]);
        }
    }

    @AfterEach
    void restore() {
        for (int i = 0; i < KEYS.length; i++) {
            if (saved[i] == null) {
                System.clearProperty(KEYS[i]);
            } else {
                System.setProperty(KEYS[i], saved[i]);
            }
        }
    }

    @Test
    void nettyBufferDiagnosticsAreOffByDefault() {
        System.clearProperty(Quiver.NETTY_JFR);
        System.clearProperty(Quiver.NETTY_LEAK_DETECTION);
        Quiver.defaultProperties();
        assertEquals("false", System.getProperty(Quiver.NETTY_JFR));
        assertEquals("disabled", System.getProperty(Quiver.NETTY_LEAK_DETECTION));
    }

    @Test
    void explicitSettingsAreKept() {
        System.setProperty(Quiver.NETTY_JFR, "true");
        System.setProperty(Quiver.NETTY_LEAK_DETECTION, "paranoid");
        Quiver.defaultProperties();
        assertEquals("true", System.getProperty(Quiver.NETTY_JFR));
        assertEquals("paranoid", System.getProperty(Quiver.NETTY_LEAK_DETECTION));
    }
}
