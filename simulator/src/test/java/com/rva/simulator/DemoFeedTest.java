package com.rva.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frames the feed writes hold exactly the faces it meant to show, as the collector's own cropper sees them. */
class DemoFeedTest {

    private static FaceCropper cropper;
    private static List<DemoFaces.Identity> faces;

    @BeforeAll
    static void setUp() {
        cropper = new FaceCropper(0.8f, 40);
        faces = DemoFaces.bundled();
    }

    @Test
    void everyFrameHoldsTheIntendedFacesWhereTheyWerePasted(@TempDir Path root) throws Exception {
        List<DemoFeed.FrameRecord> records = new ArrayList<>();
        new DemoFeed(root, List.of("store_001", "store_002"), Duration.ZERO, faces, 3, 30).run(30, records::add);

        assertEquals(60, records.size());
        Set<Integer> counts = new TreeSet<>();
        for (DemoFeed.FrameRecord r : records) {
            assertTrue(Files.isRegularFile(r.file()), r.file().toString());
            BufferedImage img = ImageIO.read(r.file().toFile());
            assertEquals(640, img.getWidth());
            assertEquals(480, img.getHeight());
            List<FaceCrop> crops = cropper.crop(r.file());
            assertEquals(r.faces().size(), crops.size(), r.file().getFileName() + " should show " + r.faces());
            for (FaceCrop c : crops) {
                double cx = c.box().x() + c.box().width() / 2;
                assertTrue(r.faces().stream().anyMatch(f -> cx >= f.x() && cx <= f.x() + f.size()),
                        "a face found where none was pasted in " + r.file().getFileName());
            }
            counts.add(r.faces().size());
        }
        assertTrue(counts.contains(0) && counts.contains(1) && counts.stream().anyMatch(n -> n >= 2),
                "the run should include empty, single and group frames: " + counts);

        try (Stream<Path> files = Files.walk(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        List<String> truth = Files.readAllLines(root.resolve(DemoFeed.GROUND_TRUTH));
        assertEquals("capturedAt,storeId,frame,faces,customer,photo,x,y,size", truth.get(0));
        int expectedRows = records.stream().mapToInt(r -> Math.max(1, r.faces().size())).sum();
        assertEquals(expectedRows, truth.size() - 1);
    }

    @Test
    void everyDemoPhotoIsFoundAtTheSmallestAndLargestPasteSize() throws Exception {
        List<DemoFaces.Photo> photos = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (DemoFaces.Identity id : faces) {
            for (DemoFaces.Photo p : id.photos()) {
                photos.add(p);
                owners.add(id.name());
            }
        }
        assertEquals(35, photos.size());
        for (int size : new int[] {FrameRenderer.MIN_FACE, FrameRenderer.MAX_FACE}) {
            for (int i = 0; i < photos.size(); i += 3) {
                List<FrameRenderer.Face> group = new ArrayList<>();
                for (int j = i; j < Math.min(i + 3, photos.size()); j++) {
                    group.add(new FrameRenderer.Face(owners.get(j), photos.get(j), size, j - i, 480 - size - 10));
                }
                BufferedImage frame = FrameRenderer.render("store_001", group);
                Path file = Files.createTempFile("frame", ".jpg");
                try {
                    DemoFeed.writeAtomically(frame, file);
                    assertEquals(group.size(), cropper.crop(file).size(), "size " + size + ": " + group);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void wrongArgumentsAreExplained() {
        DemoFeed.Args a = DemoFeed.Args.parse(new String[] {"/tmp/feed", "store_001, store_002", "0.5", "--frames", "4"});
        assertEquals(List.of("store_001", "store_002"), a.stores());
        assertEquals(Duration.ofMillis(500), a.interval());
        assertEquals(4, a.frames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoFeed.Args.parse(new String[] {"/tmp/feed", "store_001", "soon"}));
        assertTrue(e.getMessage().contains("INTERVAL_SECONDS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoFeed.Args.parse(new String[] {"/tmp/feed", "store/1", "15"}));
        assertTrue(e.getMessage().contains("store/1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DemoFeed.Args.parse(new String[] {"/tmp/feed", "store_001", "15", "--frames=0"}));
    }
}
