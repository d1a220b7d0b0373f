package com.rva.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The labelled photos of {@code ../shared/faces} ({@code <identity>/<photo>}); folders starting with
 * {@code _} (groups, no-face photos, resolution series) are not identities. Tests find the folder through
 * the {@code rva.shared.dir} system property that the build sets.
 */
public final class LabelledFaces {

    private LabelledFaces() {
    }

    /** {@code <rva.shared.dir>/faces}, when it exists. */
    public static Optional<Path> folder() {
        String shared = System.getProperty("rva.shared.dir");
        if (shared == null) {
            return Optional.empty();
        }
        Path faces = Path.of(shared, "faces");
        return Files.isDirectory(faces) ? Optional.of(faces) : Optional.empty();
    }

    /** Why the tests that need the photos are skipped. */
    public static String missingMessage() {
        return "Skipped: the labelled photos are not there (expected at <rva.shared.dir>/faces, rva.shared.dir="
                + System.getProperty("rva.shared.dir") + ")";
    }

    /** Identity → its photos, both sorted by name. */
    public static Map<String, List<Path>> identities(Path faces) {
        Map<String, List<Path>> identities = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(faces)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith("_")) {
                    continue;
                }
                try (Stream<Path> photos = Files.list(dir)) {
                    List<Path> files = photos.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().matches("(?i).+\\.(jpe?g|png|webp)")).sorted()
                            .toList();
                    if (!files.isEmpty()) {
                        identities.put(name, files);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return identities;
    }

    /** One photo of an identity, by file name. */
    public static Path photo(Path faces, String identity, String fileName) {
        Path p = faces.resolve(identity).resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("No photo " + p);
        }
        return p;
    }
}
