package dev.quiver.tools.transfer;

import dev.quiver.codec.blob.BlobHash;
import dev.quiver.transport.DialException;
import dev.quiver.transport.PeerIdentityMismatchException;
import dev.quiver.transport.TicketFormatException;
import dev.quiver.transport.blob.BlobNotFoundException;
import dev.quiver.transport.blob.DiskFullException;
import dev.quiver.transport.blob.TargetExistsException;
import dev.quiver.transport.identity.KeyType;
import dev.quiver.transport.identity.NodeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each library failure maps to its documented exit code, however deeply the library wrapped it. */
@Timeout(10)
class FailureTest {

    @Test
    void wrongKeyInsideAHandshakeFailureInsideADialFailureIsWrongKeyNotUnreachable() {
        var expected = NodeIdentity.generate(KeyType.ED25519).nodeId();
        var presented = NodeIdentity.generate(KeyType.ED25519).nodeId();
        SSLHandshakeException tls = new SSLHandshakeException("handshake failed");
        tls.initCause(new PeerIdentityMismatchException(expected, presented));
        Failure f = Failure.of(new ExecutionException(new DialException("cannot connect", tls)));
        assertEquals(ExitCodes.WRONG_NODE_KEY, f.exitCode());
        assertTrue(f.message().contains(presented.toString()), f.message());
    }

    @Test
    void eachTypedFailureHasItsCode() {
        BlobHash hash = new BlobHash(new byte[32]);
        assertEquals(ExitCodes.USAGE, Failure.of(new TicketFormatException(
                TicketFormatException.Reason.WRONG_CHECKSUM, "checksum")).exitCode());
        assertEquals(ExitCodes.UNREACHABLE, Failure.of(new CompletionException(
                new DialException("timed out", null))).exitCode());
        assertEquals(ExitCodes.NOT_FOUND, Failure.of(new ExecutionException(new BlobNotFoundException(hash)))
                .exitCode());
        assertEquals(ExitCodes.TARGET_EXISTS, Failure.of(new TargetExistsException(Path.of("/x/y"))).exitCode());
        assertEquals(ExitCodes.DISK_FULL, Failure.of(new DiskFullException(Path.of("/x/y"),
                new IOException("No space left on device"))).exitCode());
        assertEquals(ExitCodes.DISK_FULL, Failure.of(new IOException("write failed",
                new IOException("No space left on device"))).exitCode());
        Failure other = Failure.of(new IOException("Permission denied"));
        assertEquals(ExitCodes.FAILED, other.exitCode());
        assertEquals("Permission denied", other.message());
    }

    @Test
    void hintsTellTheUserWhatToDo() {
        assertTrue(Failure.of(new TargetExistsException(Path.of("/x"))).hint().contains("--force"));
        assertTrue(Failure.of(new DialException("timed out", null)).hint().contains("quiver send"));
    }
}
