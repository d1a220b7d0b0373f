package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rva eval}'s entry point on a small labelled subset of {@code ../shared/faces} copied into a fresh
 * folder (with a {@code _group} folder and a stray text file that must be ignored): the EVAL line's format and
 * a floor on BCubed F1 with the shipped defaults.
 */
class EvalMainTest {

    private static final Pattern EVAL = Pattern.compile("EVAL bcubed_f1=(\\d\\.\\d{3}) precision=(\\d\\.\\d{3})"
            + " recall=(\\d\\.\\d{3}) customers=(\\d+) identities=(\\d+) photos=(\\d+) skipped=(\\d+)"
            + " online_f1=(\\d\\.\\d{3})");

    @TempDir
    Path dir;

    @Test
    void smallLabelledFolderScoresAboveTheFloor() throws Exception {
        Path faces = Path.of(System.getProperty("rva.shared.dir", "../../shared"), "faces");
        assumeTrue(Files.isDirectory(faces), "Skipped: " + faces.toAbsolutePath()
                + " is missing (set -Drva.shared.dir=<folder holding faces/>)");
        int photos = 0;
        for (String identity : List.of("amy", "howard", "penny", "raj", "deepface_p02", "leonard")) {
            photos += copy(faces.resolve(identity), dir.resolve(identity));
        }
        copy(faces.resolve("_group"), dir.resolve("_group"));
        Files.writeString(dir.resolve("amy").resolve("notes.txt"), "not a photo");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = EvalMain.run(new String[] {dir.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                System.err);
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertEquals(0, status);
        String[] lines = output.strip().split("\\R");
        Matcher m = EVAL.matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), "last line: " + lines[lines.length - 1]);
        assertEquals(6, Integer.parseInt(m.group(5)), "identities");
        assertEquals(photos, Integer.parseInt(m.group(6)), "photos");
        double f1 = Double.parseDouble(m.group(1));
        assertTrue(f1 >= 0.95, "BCubed F1 after consolidation " + f1);
        assertTrue(Double.parseDouble(m.group(8)) >= 0.85, "online F1 " + m.group(8));
        assertTrue(output.contains("ONLINE bcubed_f1="), output);
    }

    @Test
    void folderWithoutLabelledPhotosIsRefusedClearly() throws Exception {
        Files.createDirectories(dir.resolve("_ignored"));
        Files.writeString(dir.resolve("someone.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalMain.run(new String[] {dir.toString()}, System.out, System.err));
        assertTrue(e.getMessage().contains("holds no labelled photo"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EvalMain.run(new String[] {dir.resolve("nope").toString()}, System.out, System.err));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EvalMain.run(new String[] {dir.toString(), "--seed=x"}, System.out, System.err));
        assertTrue(e.getMessage().contains("--seed"), e.getMessage());
    }

    private static int copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            List<Path> list = files.filter(Files::isRegularFile).toList();
            for (Path f : list) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
            return list.size();
        }
    }
}
