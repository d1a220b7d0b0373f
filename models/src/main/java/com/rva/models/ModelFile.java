package com.rva.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A model shipped in this jar. {@link #load()} returns its bytes only if their sha256 matches the
 * sum recorded in {@code models/SHA256SUMS}; a changed or truncated file is refused.
 */
public enum ModelFile {

    /** YuNet face detector. */
    YUNET("face_detection_yunet_2023mar.onnx", "yunet-2023mar"),
    /** 512-d face recogniser. */
    FR_FEATURE("fr_feature.onnx", "fr_feature-1");

    private static final String DIR = "models/";

    private final String fileName;
    private final String version;

    ModelFile(String fileName, String version) {
        this.fileName = fileName;
        this.version = version;
    }

    public String fileName() {
        return fileName;
    }

    /** The model version recorded with everything this model produces. */
    public String version() {
        return version;
    }

    /** The sha256 this build expects, in lower-case hex. */
    public String expectedSha256() {
        try (InputStream in = resource("SHA256SUMS")) {
            String sums = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : sums.split("\n")) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2 && parts[1].equals(fileName)) {
                    return parts[0].toLowerCase();
                }
            }
            throw new IllegalStateException("models/SHA256SUMS has no entry for " + fileName);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read models/SHA256SUMS", e);
        }
    }

    /** The verified model bytes. */
    public byte[] load() {
        byte[] bytes;
        try (InputStream in = resource(fileName)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model " + fileName, e);
        }
        verify(fileName, bytes, expectedSha256());
        return bytes;
    }

    /**
     * Checks bytes against an expected sha256.
     *
     * @throws ModelIntegrityException naming the file and both sums when they differ
     */
    public static void verify(String fileName, byte[] bytes, String expectedSha256) {
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new ModelIntegrityException("Model " + fileName + " failed its integrity check: sha256 is "
                    + actual + " but " + expectedSha256 + " was expected (" + bytes.length
                    + " bytes). Refusing to load a model that is not the one this release was tested with.");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ModelFile.class.getClassLoader().getResourceAsStream(DIR + name);
        return Objects.requireNonNull(in, () -> "Model resource " + DIR + name + " is missing from the classpath");
    }
}
