package com.rva.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A labelled photo folder {@code DIR/<identity>/<photo>}: every sub-folder is one person, except those whose
 * name starts with {@code _} (groups, photos without faces, ...). Files that are not images by their
 * extension, and hidden files, are ignored.
 */
public final class LabelledFolder {

    /** One labelled photo. */
    public record Photo(String identity, Path file) {
        public String label() {
            return identity + "/" + file.getFileName();
        }
    }

    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif",
            ".tiff");

    private LabelledFolder() {
    }

    /**
     * The photos, identity by identity and photo by photo in name order.
     *
     * @throws IllegalArgumentException when {@code dir} is not a folder or holds no labelled photo
     */
    public static List<Photo> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder (expected DIR/<identity>/<photo>)");
        }
        List<Photo> photos = new ArrayList<>();
        try (Stream<Path> subs = Files.list(dir)) {
            for (Path sub : subs.filter(Files::isDirectory).sorted().toList()) {
                String identity = sub.getFileName().toString();
                if (identity.startsWith("_") || identity.startsWith(".")) {
                    continue;
                }
                try (Stream<Path> files = Files.list(sub)) {
                    files.filter(Files::isRegularFile).filter(LabelledFolder::isImage).sorted()
                            .forEach(f -> photos.add(new Photo(identity, f)));
                }
            }
        }
        if (photos.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no labelled photo: expected sub-folders <identity>/ with"
                    + " image files (" + String.join(", ", IMAGE_EXTENSIONS) + "); folders starting with _ are ignored");
        }
        return photos;
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
