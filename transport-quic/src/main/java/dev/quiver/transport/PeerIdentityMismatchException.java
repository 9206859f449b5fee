package dev.quiver.transport;

import java.security.cert.CertificateException;

/**
 * The peer completed its part of the TLS handshake with a key whose node ID is not the one the dialer pinned: a
 * stale or forged ticket, or someone else listening on the address. The connection is refused; nothing was sent.
 */
public final class PeerIdentityMismatchException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId expected;
    private final transient NodeId presented;

    /** The peer presented {@code presented} where {@code expected} was pinned. */
    public PeerIdentityMismatchException(NodeId expected, NodeId presented) {
        super("peer identity mismatch: expected node " + expected + " but the peer presented node " + presented
                + "; the ticket is stale or another node holds that address");
        this.expected = expected;
        this.presented = presented;
    }

    /** The node ID the dialer pinned. */
    public NodeId expected() {
        return expected;
    }

    /** The node ID derived from the certificate the peer presented. */
    public NodeId presented() {
        return presented;
    }
}
