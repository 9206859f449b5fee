package dev.quiver.transport.relay;

import java.util.Objects;

/**
 * What the relay tells one side of an accepted circuit (in INCOMING to the target, in ACCEPTED to the initiator):
 * that side's token and the UDP port of the relay's data socket. The node sends its circuit datagrams to the
 * relay's IP (the one it reached the relay on) at {@code dataPort}.
 *
 * @param token    this side's circuit token
 * @param dataPort the relay's data socket port, 1..65535
 */
record CircuitGrant(CircuitToken token, int dataPort) {
    /** Bytes of a grant in a relay message: token and u16 port. */
    static final int BYTES = CircuitToken.BYTES + 2;

    CircuitGrant {
        Objects.requireNonNull(token, "token");
        if (dataPort < 1 || dataPort > 0xFFFF) {
            throw new IllegalArgumentException("data port " + dataPort + " outside 1..65535");
        }
    }
}
