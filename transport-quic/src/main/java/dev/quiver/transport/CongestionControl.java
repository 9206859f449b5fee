package dev.quiver.transport;

/** Congestion controller run by quiche for every connection of a node. */
public enum CongestionControl {
    /** CUBIC (RFC 9438): the default, fair to TCP on shared links. */
    CUBIC,
    /** BBR (quiche's BBRv2 implementation): model-based, keeps throughput under random loss. */
    BBR,
    /** NewReno (RFC 9002 §7): the conservative baseline. */
    RENO
}
