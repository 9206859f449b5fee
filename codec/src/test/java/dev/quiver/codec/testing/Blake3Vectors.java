package dev.quiver.codec.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official BLAKE3 test vectors ({@code shared/testdata/blake3_test_vectors.json}, beside the repository).
 * Each case is an input length and the extended outputs of hash, keyed_hash and derive_key.
 */
public final class Blake3Vectors {

    /** One test case; outputs are the full extended outputs (131 bytes in the official file). */
    public record Case(int inputLength, byte[] hash, byte[] keyedHash, byte[] deriveKey) {
        public byte[] input() {
            return Blake3Vectors.input(inputLength);
        }
    }

    private static final Pattern STRING_FIELD = Pattern.compile("\"(key|context_string)\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CASE = Pattern.compile(
            "\\{\\s*\"input_len\"\\s*:\\s*(\\d+)\\s*,\\s*\"hash\"\\s*:\\s*\"([0-9a-f]+)\"\\s*,"
                    + "\\s*\"keyed_hash\"\\s*:\\s*\"([0-9a-f]+)\"\\s*,\\s*\"derive_key\"\\s*:\\s*\"([0-9a-f]+)\"\\s*}");

    private final byte[] key;
    private final String context;
    private final List<Case> cases;

    private Blake3Vectors(byte[] key, String context, List<Case> cases) {
        this.key = key;
        this.context = context;
        this.cases = List.copyOf(cases);
    }

    /** Loads the vectors from {@link TestData#file(String)}. */
    public static Blake3Vectors load() {
        String json;
        try {
            json = Files.readString(TestData.file("blake3_test_vectors.json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = null;
        String context = null;
        Matcher fields = STRING_FIELD.matcher(json);
        while (fields.find()) {
            if (fields.group(1).equals("key")) {
                key = fields.group(2).getBytes(StandardCharsets.US_ASCII);
            } else {
                context = fields.group(2);
            }
        }
        HexFormat hex = HexFormat.of();
        List<Case> cases = new ArrayList<>();
        Matcher m = CASE.matcher(json);
        while (m.find()) {
            cases.add(new Case(Integer.parseInt(m.group(1)), hex.parseHex(m.group(2)), hex.parseHex(m.group(3)),
                    hex.parseHex(m.group(4))));
        }
        if (key == null || context == null || cases.size() < 30) {
            throw new IllegalStateException("blake3_test_vectors.json looks malformed: " + cases.size() + " cases");
        }
        return new Blake3Vectors(key, context, cases);
    }

    /** The 32-byte key of the keyed_hash cases. */
    public byte[] key() {
        return key.clone();
    }

    /** The context string of the derive_key cases. */
    public String context() {
        return context;
    }

    public List<Case> cases() {
        return cases;
    }

    /** The vectors' input: bytes 0, 1, ..., 250, 0, 1, ... repeated to {@code length}. */
    public static byte[] input(int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        return input;
    }
}
