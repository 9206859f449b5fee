package dev.quiver.transport.identity;

/**
 * The kind of long-lived key a node holds. Ed25519 is the default and works with BoringSSL through Netty 4.2.18
 * once two things are in place (both found by trying): the key is offered by {@link NodeKeyManager} (Netty's
 * key-store manager selects keys by JDK type names and fails the server's certificate callback with
 * {@code SSLHandshakeException: error:1000007e:SSL routines:OPENSSL_internal:CERT_CB_ERROR}), and
 * {@code ed25519} is in the TLS signature algorithm list (without it BoringSSL fails with
 * {@code error:100000fd:SSL routines:OPENSSL_internal:NO_COMMON_SIGNATURE_ALGORITHMS}). ECDSA P-256 is kept for
 * peers or platforms that cannot do Ed25519.
 */
public enum KeyType {
    /** Ed25519 (RFC 8032); node ID = the raw 32-byte public key. */
    ED25519("Ed25519", "Ed25519"),
    /** ECDSA on P-256 (secp256r1); node ID = a 32-byte hash of the SubjectPublicKeyInfo. */
    ECDSA_P256("EC", "SHA256withECDSA");

    private final String keyAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String keyAlgorithm, String signatureAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA {@code KeyPairGenerator}/{@code KeyFactory} algorithm name. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The JCA signature algorithm used to self-sign the certificate. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }
}
