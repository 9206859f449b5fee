package dev.quiver.transport.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a node's long-lived key pair in {@value #KEY_FILE} under its config directory, so its node ID survives
 * restarts. The file is created on first use with mode 0600 (directory 0700), atomically: it is written to a
 * private temporary file and then hard-linked into place, so a reader never sees half a key and two processes
 * starting at once agree on one key (the loser loads the winner's). Stateless.
 *
 * <p>File format: a {@code Key-Type:} line, then the PKCS#8 private key and the X.509 SubjectPublicKeyInfo as
 * PEM blocks ({@code openssl pkey -in node.key} reads it).
 */
public final class IdentityStore {
    /** File name of the key under the config directory. */
    public static final String KEY_FILE = "node.key";
    /** Environment variable that overrides the config directory. */
    public static final String DIR_ENV = "QUIVER_CONFIG_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
    // A key file is a few hundred bytes; refuse to read anything much larger.
    private static final long MAX_FILE_BYTES = 16 * 1024;
    private static final Pattern KEY_TYPE = Pattern.compile("(?m)^Key-Type: *([A-Z0-9_]+) *$");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private IdentityStore() {
    }

    /**
     * The default config directory: {@code $QUIVER_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/quiver}, else
     * {@code ~/.config/quiver} (XDG Base Directory Specification).
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv());
    }

    static Path defaultDirectory(Map<String, String> env) {
        String explicit = env.get(DIR_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "quiver");
        }
        return Path.of(System.getProperty("user.home"), ".config", "quiver");
    }

    /**
     * Loads the identity in {@code directory}, creating a new {@code typeForNew} key there if none exists.
     *
     * @throws IdentityException if the file cannot be read, written or parsed
     */
    public static NodeIdentity loadOrCreate(Path directory, KeyType typeForNew) throws IdentityException {
        Path file = directory.resolve(KEY_FILE);
        if (Files.exists(file)) {
            return load(file);
        }
        NodeIdentity created = NodeIdentity.generate(typeForNew);
        try {
            createDirectory(directory);
            if (publish(directory, file, encode(created))) {
                LOG.info("Created node identity {} ({}) in {}", created.nodeId(), typeForNew, file);
                return created;
            }
        } catch (IOException e) {
            throw new IdentityException("cannot create the node key " + file + ": " + e.getMessage()
                    + "; check that the directory is writable or choose another with " + DIR_ENV, e);
        }
        // Another process created the key between our check and our link: use theirs.
        return load(file);
    }

    /**
     * Loads the identity stored in {@code file}.
     *
     * @throws IdentityException if the file cannot be read or parsed
     */
    public static NodeIdentity load(Path file) throws IdentityException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IdentityException("node key " + file + " is " + size + " bytes; a key file is under "
                        + MAX_FILE_BYTES + " bytes, so this is not one");
            }
            warnIfReadableByOthers(file);
            return decode(Files.readString(file, StandardCharsets.US_ASCII), file);
        } catch (IOException e) {
            throw new IdentityException("cannot read the node key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (supportsPosix(directory.toAbsolutePath().getRoot())) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
            Files.createDirectories(directory);
        }
    }

    /** Writes {@code content} privately, then links it to {@code file}; false if {@code file} appeared first. */
    private static boolean publish(Path directory, Path file, String content) throws IOException {
        boolean posix = supportsPosix(directory);
        Path temp = posix
                ? Files.createTempFile(directory, ".node", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                : Files.createTempFile(directory, ".node", ".tmp");
        try {
            if (!posix) {
                LOG.warn("{} has no POSIX permissions; the node key cannot be restricted to mode 0600", directory);
            }
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // link(2) never replaces an existing file, unlike rename(2).
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean supportsPosix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView("posix");
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        if (supportsPosix(file)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!FILE_MODE.containsAll(mode)) {
                LOG.warn("Node key {} has mode {}; anyone who can read it can impersonate this node. "
                        + "Run: chmod 600 {}", file, PosixFilePermissions.toString(mode), file);
            }
        }
    }

    static String encode(NodeIdentity identity) {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "Key-Type: " + identity.keyType() + "\n"
                + "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(identity.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN PUBLIC KEY-----\n" + base64.encodeToString(identity.certificate().getPublicKey()
                .getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A hand-edited file could pair someone else's public key with our private key; sign once to be sure. */
    private static void requireMatchingPair(KeyType type, PrivateKey privateKey, PublicKey publicKey, Path file)
            throws GeneralSecurityException, IdentityException {
        byte[] probe = "quiver key pair check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(type.signatureAlgorithm());
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(type.signatureAlgorithm());
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IdentityException("node key " + file + ": the public key does not belong to the private key");
        }
    }

    static NodeIdentity decode(String text, Path file) throws IdentityException {
        Matcher typeMatch = KEY_TYPE.matcher(text);
        if (!typeMatch.find()) {
            throw new IdentityException("node key " + file + " has no 'Key-Type:' line; it was not written by "
                    + "Quiver");
        }
        KeyType type;
        try {
            type = KeyType.valueOf(typeMatch.group(1));
        } catch (IllegalArgumentException e) {
            throw new IdentityException("node key " + file + " has unknown key type " + typeMatch.group(1), e);
        }
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher pem = PEM.matcher(text);
        while (pem.find()) {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            switch (pem.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> throw new IdentityException("node key " + file + " has an unexpected PEM block '"
                        + pem.group(1) + "'");
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IdentityException("node key " + file + " needs both a PRIVATE KEY and a PUBLIC KEY block");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(type.keyAlgorithm());
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
            requireMatchingPair(type, privateKey, publicKey, file);
            return new NodeIdentity(type, new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException e) {
            throw new IdentityException("node key " + file + " holds a damaged " + type + " key: " + e.getMessage(),
                    e);
        }
    }
}
