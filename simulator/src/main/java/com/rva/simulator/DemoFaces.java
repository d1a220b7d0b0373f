package com.rva.simulator;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Labelled face photos: the demo identities bundled in this jar ({@code demo-faces/<name>/N.png}, see
 * its ATTRIBUTION.md) or a folder laid out as {@code <identity>/<photo>}.
 */
public final class DemoFaces {

    /** The bundled identities (face-api.js examples, MIT). */
    public static final List<String> BUNDLED = List.of("amy", "bernadette", "howard", "leonard", "penny", "raj",
            "sheldon");

    /** One person and their photos. */
    public record Identity(String name, List<Photo> photos) {
    }

    /** One photo of a person; {@code name} is its file name, for the ground truth. */
    public record Photo(String name, BufferedImage image) {
    }

    private DemoFaces() {
    }

    /** The identities bundled in the jar. */
    public static List<Identity> bundled() {
        List<Identity> identities = new ArrayList<>();
        for (String name : BUNDLED) {
            List<Photo> photos = new ArrayList<>();
            for (int n = 1; ; n++) {
                String resource = "demo-faces/" + name + "/" + n + ".png";
                try (InputStream in = DemoFaces.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        break;
                    }
                    photos.add(new Photo(n + ".png", read(in, resource)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + resource, e);
                }
            }
            if (photos.isEmpty()) {
                throw new IllegalStateException("demo-faces/" + name + " is missing from the classpath");
            }
            identities.add(new Identity(name, photos));
        }
        return identities;
    }

    /**
     * The identities of a labelled folder: each sub-folder is one person, its jpg/png files their photos.
     * Folders starting with {@code _} (e.g. {@code _group}, {@code _noface}) are skipped.
     */
    public static List<Identity> fromFolder(Path root) throws IOException {
        List<Identity> identities = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                List<Photo> photos = new ArrayList<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)"))
                            .sorted().toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            photos.add(new Photo(f.getFileName().toString(), read(in, f.toString())));
                        }
                    }
                }
                if (!photos.isEmpty()) {
                    identities.add(new Identity(name, photos));
                }
            }
        }
        if (identities.isEmpty()) {
            throw new IOException("no identity folders with jpg/png photos in " + root);
        }
        return identities;
    }

    private static BufferedImage read(InputStream in, String what) throws IOException {
        BufferedImage img = ImageIO.read(in);
        if (img == null) {
            throw new IOException(what + " is not an image ImageIO can read");
        }
        return img;
    }
}
