package dev.quiver.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The system properties the CLI's {@code main} sets before anything else runs. */
@Timeout(10)
class QuiverTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Quiver.NETTY_JFR);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Quiver.NETTY_JFR);
        } else {
            System.setProperty(Quiver.NETTY_JFR, saved);
        }
    }

    @Test
    void nettyJfrEventsAreOffByDefault() {
        System.clearProperty(Quiver.NETTY_JFR);
        Quiver.defaultProperties();
        assertEquals("false", System.getProperty(Quiver.NETTY_JFR));
    }

    @Test
    void anExplicitNettyJfrSettingIsKept() {
        System.setProperty(Quiver.NETTY_JFR, "true");
        Quiver.defaultProperties();
        assertEquals("true", System.getProperty(Quiver.NETTY_JFR));
    }
}
