package com.rva.collector;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The labelled photos in {@code ../shared/faces} (system property {@code rva.shared.dir}, set by the parent pom). */
public final class SharedFaces {

    private SharedFaces() {
    }

    /** The faces folder; skips the calling test, saying why, when it is not there. */
    public static Path dir() {
        String shared = System.getProperty("rva.shared.dir", "../../shared");
        Path faces = Path.of(shared, "faces").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(faces), "shared/faces missing: " + faces
                + " does not exist (set -Drva.shared.dir=<folder holding faces/>), so the photo tests are skipped");
        return faces;
    }

    /** Image files of one sub-folder, in name order. */
    public static List<Path> photos(String folder) throws IOException {
        Path sub = dir().resolve(folder);
        assumeTrue(Files.isDirectory(sub), "shared/faces/" + folder + " missing: " + sub);
        try (Stream<Path> files = Files.list(sub)) {
            return files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList();
        }
    }
}
