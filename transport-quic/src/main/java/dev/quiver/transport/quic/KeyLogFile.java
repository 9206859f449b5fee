package dev.quiver.transport.quic;

import io.netty.handler.codec.quic.BoringSSLKeylog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Appends TLS secrets in the NSS key log format (the SSLKEYLOGFILE convention; BoringSSL hands us whole lines
 * such as {@code CLIENT_TRAFFIC_SECRET_0 <client random> <secret>}) so Wireshark or tshark can decrypt captured
 * QUIC. Opt-in only: anyone with the file can read the traffic. Thread-safe (writes are synchronized).
 */
final class KeyLogFile implements BoringSSLKeylog, AutoCloseable {
    /** The conventional environment variable. */
    static final String ENV = "SSLKEYLOGFILE";
    private static final Logger LOG = LoggerFactory.getLogger(KeyLogFile.class);

    private final Path file;
    private final Writer writer;

    private KeyLogFile(Path file, Writer writer) {
        this.file = file;
        this.writer = writer;
    }

    /** The configured file, else {@code $SSLKEYLOGFILE}, else none. */
    static Optional<KeyLogFile> open(Optional<Path> configured) throws IOException {
        Optional<Path> target = configured.or(() -> Optional.ofNullable(System.getenv(ENV))
                .filter(value -> !value.isBlank()).map(Path::of));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Path file = target.get();
        Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        LOG.warn("TLS key logging is ON: secrets go to {}; anyone who can read it can decrypt this node's traffic",
                file);
        return Optional.of(new KeyLogFile(file, writer));
    }

    @Override
    public synchronized void logKey(SSLEngine engine, String line) {
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            LOG.warn("Cannot append to key log {}: {}", file, e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
