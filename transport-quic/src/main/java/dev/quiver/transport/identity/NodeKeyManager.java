package dev.quiver.transport.identity;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Offers the node's one key and certificate for every handshake, whatever key type TLS asks about. Netty's
 * key-store based manager picks keys by JDK key type names ("EC", "RSA") and finds nothing for an Ed25519
 * ("EdDSA") key (the handshake then fails with BoringSSL's {@code CERT_CB_ERROR}); which signature scheme is
 * used is negotiated by BoringSSL from the key itself and the peer's signature_algorithms (RFC 8446 §4.2.3).
 * Immutable.
 */
public final class NodeKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "node";

    private final NodeIdentity identity;

    /** A key manager presenting {@code identity}. */
    public NodeKeyManager(NodeIdentity identity) {
        this.identity = identity;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {identity.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.privateKey() : null;
    }
}
