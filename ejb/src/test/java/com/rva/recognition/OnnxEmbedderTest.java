package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rva.models.ModelFile;
import com.rva.testsupport.FaceCropMaker;
import com.rva.testsupport.LabelledFaces;

class OnnxEmbedderTest {

    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.create();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void samePhotoTwiceGivesTheIdenticalEmbedding() throws Exception {
        Optional<Path> faces = LabelledFaces.folder();
        assumeTrue(faces.isPresent(), LabelledFaces.missingMessage());
        byte[] jpeg;
        try (FaceCropMaker cropper = new FaceCropMaker()) {
            jpeg = cropper.jpegOfLargestFace(LabelledFaces.photo(faces.get(), "amy", "1.png")).orElseThrow();
        }
        CropDecoder decoder = new CropDecoder();
        float[] first = embedder.embed(decoder.decode(jpeg));
        float[] second = embedder.embed(decoder.decode(jpeg));
        assertArrayEquals(first, second, 0f);
        assertEquals(512, first.length);
        assertEquals(1.0, norm(first), 1e-5);
    }

    @Test
    void describesItsModel() {
        assertEquals(ModelFile.FR_FEATURE.version(), embedder.modelVersion());
        assertEquals(512, embedder.dimension());
    }

    @Test
    void embeddingsAreUnitVectorsThatDependOnTheImage() {
        float[] a = embedder.embed(gradient(0));
        float[] b = embedder.embed(gradient(90));
        assertEquals(1.0, norm(a), 1e-5);
        assertEquals(1.0, norm(b), 1e-5);
        assertTrue(Vectors.dot(a, b) < 0.999f, "different images give different embeddings");
    }

    @Test
    void refusesCropsThatAreNot112By112() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedder.embed(new BufferedImage(96, 112, BufferedImage.TYPE_3BYTE_BGR)));
        assertTrue(e.getMessage().contains("96x112"), e.getMessage());
    }

    @Test
    void preprocessesRgbPlanesAsTheModelExpects() {
        BufferedImage image = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF007F); // R 255, G 0, B 127
        float[] chw = OnnxEmbedder.preprocess(image);
        int plane = 112 * 112;
        assertEquals(3 * plane, chw.length);
        assertEquals((255 - 127) / 128f, chw[0], 0f);
        assertEquals((0 - 127) / 128f, chw[plane], 0f);
        assertEquals(0f, chw[2 * plane], 0f);
    }

    @Test
    void oneSessionServesConcurrentCallersWithTheSameResults() throws Exception {
        BufferedImage image = gradient(45);
        float[] expected = embedder.embed(image);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> embedder.embed(image)));
            }
            for (Future<float[]> r : results) {
                assertArrayEquals(expected, r.get(), 0f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The fastest ORT level depends on the CPU (DESIGN section 4 vs ./rva bench embedder), so the product's default
     * calibrates instead of taking ORT's own default or a fixed guess; the speed itself is measured by the
     * benchmark, not here.
     */
    @Test
    void sessionsDoNotUseOrtsDefaultOptimisationLevel() {
        assertEquals(OrtOptimisation.AUTO, OnnxEmbedder.OPTIMISATION_LEVEL);
        OnnxEmbedder.Calibration calibration = embedder.calibration().orElseThrow();
        assertEquals(OnnxEmbedder.CALIBRATION_CANDIDATES, List.copyOf(calibration.bestMs().keySet()));
        assertTrue(calibration.bestMs().values().stream().allMatch(ms -> ms > 0), calibration.toString());
        assertEquals(calibration.chosen(), embedder.optimisationLevel());
        double chosenMs = calibration.bestMs().get(calibration.chosen());
        assertTrue(calibration.bestMs().values().stream().allMatch(ms -> chosenMs <= ms), calibration.toString());
    }

    @Test
    void calibrationKeepsTheLowestBestTimeAndTheEarlierCandidateOnATie() {
        Map<OptLevel, double[]> timings = new LinkedHashMap<>();
        timings.put(OptLevel.EXTENDED_OPT, new double[] {9, 9.5, 9.1, 30});
        timings.put(OptLevel.ALL_OPT, new double[] {50, 60, 5.7, 70}); // preempted runs only add time
        timings.put(OptLevel.BASIC_OPT, new double[] {8, 8.5});
        OnnxEmbedder.Calibration c = OnnxEmbedder.Calibration.of(timings);
        assertEquals(OptLevel.ALL_OPT, c.chosen(), "the best run decides, not the mean or median");
        assertEquals(9.0, c.bestMs().get(OptLevel.EXTENDED_OPT), 0);
        assertEquals(8.0, c.bestMs().get(OptLevel.BASIC_OPT), 0);

        Map<OptLevel, double[]> tie = new LinkedHashMap<>();
        tie.put(OptLevel.EXTENDED_OPT, new double[] {7});
        tie.put(OptLevel.ALL_OPT, new double[] {7});
        assertEquals(OptLevel.EXTENDED_OPT, OnnxEmbedder.Calibration.of(tie).chosen());
        assertThrows(IllegalArgumentException.class, () -> OnnxEmbedder.Calibration.of(Map.of()));
    }

    @Test
    void aConfiguredLevelIsUsedWithoutCalibrationAndGivesTheSameEmbedding() {
        BufferedImage image = gradient(30);
        try (OnnxEmbedder fixed = OnnxEmbedder.create(1, OrtOptimisation.BASIC_OPT)) {
            assertEquals(OptLevel.BASIC_OPT, fixed.optimisationLevel());
            assertTrue(fixed.calibration().isEmpty());
            assertTrue(Vectors.dot(fixed.embed(image), embedder.embed(image)) > 0.9999f);
        }
    }

    @Test
    void theOptimisationSettingParsesEveryLevelAndRefusesOthersClearly() {
        assertEquals(OrtOptimisation.AUTO, OrtOptimisation.parse(null));
        assertEquals(OrtOptimisation.AUTO, OrtOptimisation.parse(" auto "));
        assertEquals(OrtOptimisation.ALL_OPT, OrtOptimisation.parse("all_opt"));
        assertEquals(OptLevel.EXTENDED_OPT, OrtOptimisation.parse("EXTENDED_OPT").level().orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrtOptimisation.parse("fast"));
        assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("EXTENDED_OPT"), e.getMessage());
    }

    private static BufferedImage gradient(int phase) {
        BufferedImage image = new BufferedImage(112, 112, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                int r = (x * 2 + phase) & 0xFF;
                int g = (y * 2 + phase / 2) & 0xFF;
                int b = ((x + y) + phase * 3) & 0xFF;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
